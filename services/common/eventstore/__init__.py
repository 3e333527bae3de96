from .model import (  # noqa: F401
    ANY_VERSION,
    NO_STREAM,
    AppendResult,
    CommandIdReused,
    EventStoreError,
    Metadata,
    NewEvent,
    RecordedEvent,
    StreamHead,
    WrongExpectedVersion,
    category_of,
    stream_name,
)
from .port import EventStore  # noqa: F401
