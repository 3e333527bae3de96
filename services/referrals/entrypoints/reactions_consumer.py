"""The referral reactions' consumer process: `python -m services.referrals.entrypoints.reactions_consumer
[run|check|rebuild|dead-letters|retry-dead-letters|discard-dead-letter]`."""

import sys

from services.common.consumer.cli import main
from services.referrals import bootstrap
from services.referrals.application.reactions import ReferralReactions

if __name__ == "__main__":
    sys.exit(main(bootstrap.REACTIONS, ReferralReactions()))
