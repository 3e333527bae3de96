# nameko's test fixtures need eventlet to patch the world before anything else is imported, and
# psycopg2 must then be made cooperative or one query blocks every green thread.
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()

import psycogreen.eventlet  # noqa: E402

psycogreen.eventlet.patch_psycopg()
