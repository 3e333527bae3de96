"""Words the contracts and the deciders share, defined once (this module imports nothing, so domain
code may use it, like contracts/names.py)."""

# the groups the centres prioritise (domain.md), and the ESF+ breakdowns
VULNERABLE_GROUPS = (
    "poverty",
    "child_exclusion",
    "minimum_income",
    "roma",
    "long_term_unemployed",
    "disability",
    "refugee_or_asylum_seeker",
    "third_country_national",
    "elderly",
    "homeless",
)

# why a head of centre breaks the glass: an emergency access to one person's whole file, for an hour
EMERGENCY_REASONS = (
    "danger_to_life",
    "medical_emergency",
    "child_protection",
    "domestic_violence",
    "arrived_without_file",
)
