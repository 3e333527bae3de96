"""The reporting consumer's process: `python -m services.reporting.entrypoints.consumer
[run|check|rebuild|dead-letters|retry-dead-letters|discard-dead-letter]`."""

import sys

from services.common.config import Settings
from services.common.consumer.cli import main
from services.reporting import bootstrap

if __name__ == "__main__":
    sys.exit(main(bootstrap.SERVICE, bootstrap.projection(Settings.from_env())))
