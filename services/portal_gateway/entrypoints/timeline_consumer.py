"""The timeline's consumer process: `python -m services.portal_gateway.entrypoints.timeline_consumer
[run|check|rebuild|dead-letters|retry-dead-letters|discard-dead-letter]`."""

import sys

from services.common.config import Settings
from services.common.consumer.cli import main
from services.portal_gateway import bootstrap

if __name__ == "__main__":
    sys.exit(main(bootstrap.TIMELINE, bootstrap.timeline(Settings.from_env())))
