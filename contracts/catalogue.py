"""Every contract module, in one place: add a module here when a service gains contracts."""

from contracts import directory, gateway, intake, network, referrals, registries, reporting

_MODULES = (registries, network, directory, intake, referrals, gateway, reporting)
EVENTS = {c.type: c for m in _MODULES for c in m.EVENTS}
COMMANDS = {c.name: c for m in _MODULES for c in m.COMMANDS}
