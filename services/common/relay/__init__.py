from .relay import OutboxRelay  # noqa: F401
