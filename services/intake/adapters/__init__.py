"""Intake keeps no storage of its own beyond the shared event store (services/common/eventstore,
opened in ../bootstrap.py): a case is its stream. The one question it asks outside, whether a
mobile unit serves a municipality, goes to the registries by RPC from the entrypoint."""
