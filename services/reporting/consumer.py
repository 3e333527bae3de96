"""`python -m services.reporting.consumer [run|check|rebuild|dead-letters|retry-dead-letters]`"""
import sys

from services.common.consumer.cli import main
from services.reporting.projections.model import ReportingModel

if __name__ == "__main__":
    sys.exit(main("reporting", ReportingModel()))
