"""The portal's words in Greek (the default) and English."""
from __future__ import annotations

LANGUAGES = ("el", "en")
WORDS = {
    "kentra": ("Κέντρα Κοινότητας Πελοποννήσου", "Peloponnese Community Centres"),
    "login": ("Σύνδεση", "Log in"), "logout": ("Αποσύνδεση", "Log out"),
    "username": ("Όνομα χρήστη", "Username"), "password": ("Κωδικός", "Password"),
    "search": ("Αναζήτηση ωφελούμενου", "Find a beneficiary"),
    "search_hint": ("ΑΜΚΑ ή ονοματεπώνυμο (ελληνικά ή λατινικά)", "AMKA or name (Greek or Latin letters)"),
    "no_results": ("Δεν βρέθηκε κανείς στο δίκτυό σας.", "Nobody found in your network."),
    "register": ("Νέος ωφελούμενος", "Register a beneficiary"),
    "given_name": ("Όνομα", "Given name"), "family_name": ("Επώνυμο", "Family name"),
    "birth_date": ("Ημερομηνία γέννησης", "Birth date"), "amka": ("ΑΜΚΑ", "AMKA"), "afm": ("ΑΦΜ", "AFM"),
    "paaypa": ("ΠΑΑΥΠΑ", "PAAYPA"), "phone": ("Τηλέφωνο", "Phone"),
    "municipality": ("Δήμος", "Municipality"), "site": ("Δομή", "Site"), "save": ("Καταχώριση", "Save"),
    "timeline": ("Διαδρομή", "Timeline"), "when": ("Πότε", "When"), "what": ("Τι", "What"),
    "where": ("Πού", "Where"), "who": ("Ποιος", "Who"),
    "record_contact": ("Καταγραφή επαφής", "Record a contact"), "channel": ("Τρόπος", "Channel"),
    "record_service": ("Καταγραφή υπηρεσίας", "Record a service"), "service": ("Υπηρεσία", "Service"),
    "occurred_on": ("Ημερομηνία", "Date"), "notes": ("Σημειώσεις", "Notes"),
    "consent": ("Συγκατάθεση", "Consent"), "recipient": ("Αποδέκτης", "Recipient"),
    "purpose": ("Σκοπός", "Purpose"), "until": ("Έως", "Until"),
    "refer": ("Παραπομπή", "Refer"), "need": ("Ανάγκη", "Need"), "proposals": ("Προτεινόμενοι φορείς", "Proposed"),
    "shares": ("Κοινοποίηση προσωπικών δεδομένων", "Shares personal data"),
    "referrals": ("Παραπομπές", "Referrals"), "state": ("Κατάσταση", "State"),
    "inbox": ("Εισερχόμενες παραπομπές", "Referral inbox"), "due": ("Προθεσμία", "Due"),
    "acknowledge": ("Παραλαβή", "Acknowledge"), "accept": ("Αποδοχή", "Accept"), "reject": ("Απόρριψη", "Reject"),
    "complete": ("Ολοκλήρωση", "Complete"), "reason": ("Αιτιολογία", "Reason"), "outcome": ("Έκβαση", "Outcome"),
    "send": ("Αποστολή", "Send"), "withdraw": ("Ανάκληση", "Withdraw"),
    "plan": ("Ατομικό πλάνο", "Action plan"), "goal": ("Στόχος", "Goal"), "step": ("Βήμα", "Step"),
    "open_plan": ("Άνοιγμα πλάνου", "Open a plan"), "add_step": ("Νέο βήμα", "Add a step"),
    "done": ("Ολοκληρώθηκε", "Done"), "due_on": ("Έως", "Due on"),
    "daily_register": ("Ημερήσιο μητρώο", "Daily register"), "overview": ("Περιφερειακή εικόνα", "Regional overview"),
    "events": ("Καταχωρίσεις", "Entries"), "errors": ("Ελέγξτε τα πεδία", "Please check the fields"),
    "forbidden": ("Δεν έχετε πρόσβαση σε αυτό.", "You do not have access to this."),
    "not_found": ("Δεν βρέθηκε.", "Not found."), "saved": ("Καταχωρίστηκε.", "Saved."),
    "warnings": ("Προσοχή", "Please note"), "break_glass": ("Πρόσβαση έκτακτης ανάγκης", "Break the glass"),
    "assessment": ("Αξιολόγηση αναγκών", "Needs assessment"), "language": ("English", "Ελληνικά"),
}


def translator(lang: str):
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0
    return lambda key: WORDS.get(key, (key, key))[index]
