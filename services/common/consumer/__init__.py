from .consumer import Consumer, Outcome  # noqa: F401
from .opener import PersonalOpener  # noqa: F401
from .projection import Projection, SourceEvent  # noqa: F401
