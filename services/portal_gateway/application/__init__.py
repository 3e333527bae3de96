"""The gateway's composition of what the services answer into what a page or an API answer shows.
It decides no domain rule (the services do) and no access rule (domain/access.py does)."""
