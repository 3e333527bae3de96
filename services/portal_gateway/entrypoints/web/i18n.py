"""The portal's words in Greek (the default) and English."""

from __future__ import annotations

from contracts import names
from services.portal_gateway.domain.passwords import MAX_LENGTH, MIN_LENGTH

LANGUAGES = ("el", "en")
WORDS = {
    "kentra": ("Κέντρα Κοινότητας Πελοποννήσου", "Peloponnese Community Centres"),
    "login": ("Σύνδεση", "Log in"),
    "logout": ("Αποσύνδεση", "Log out"),
    "username": ("Όνομα χρήστη", "Username"),
    "password": ("Κωδικός", "Password"),
    "search": ("Αναζήτηση ωφελούμενου", "Find a beneficiary"),
    "search_hint": (
        "ΑΜΚΑ ή ονοματεπώνυμο (ελληνικά ή λατινικά)",
        "AMKA or name (Greek or Latin letters)",
    ),
    "search_by_post": (
        "Η αναζήτηση γίνεται από τη φόρμα: ένα όνομα ή ένας ΑΜΚΑ δεν μπαίνει στη διεύθυνση.",
        "Search with the form: a name or an AMKA never goes into the address.",
    ),
    "no_results": ("Δεν βρέθηκε κανείς στο δίκτυό σας.", "Nobody found in your network."),
    "register": ("Νέος ωφελούμενος", "Register a beneficiary"),
    "given_name": ("Όνομα", "Given name"),
    "family_name": ("Επώνυμο", "Family name"),
    "birth_date": ("Ημερομηνία γέννησης", "Birth date"),
    "amka": ("ΑΜΚΑ", "AMKA"),
    "afm": ("ΑΦΜ", "AFM"),
    "paaypa": ("ΠΑΑΥΠΑ", "PAAYPA"),
    "phone": ("Τηλέφωνο", "Phone"),
    "municipality": ("Δήμος", "Municipality"),
    "site": ("Δομή", "Site"),
    "save": ("Καταχώριση", "Save"),
    "timeline": ("Διαδρομή", "Timeline"),
    "when": ("Πότε", "When"),
    "what": ("Τι", "What"),
    "where": ("Πού", "Where"),
    "who": ("Ποιος", "Who"),
    "record_contact": ("Καταγραφή επαφής", "Record a contact"),
    "channel": ("Τρόπος", "Channel"),
    "record_service": ("Καταγραφή υπηρεσίας", "Record a service"),
    "service": ("Υπηρεσία", "Service"),
    "occurred_on": ("Ημερομηνία", "Date"),
    "notes": ("Σημειώσεις", "Notes"),
    "consent": ("Συγκατάθεση", "Consent"),
    "recipient": ("Αποδέκτης", "Recipient"),
    "purpose": ("Σκοπός", "Purpose"),
    "until": ("Έως", "Until"),
    "refer": ("Παραπομπή", "Refer"),
    "need": ("Ανάγκη", "Need"),
    "proposals": ("Προτεινόμενοι φορείς", "Proposed"),
    "shares": ("Κοινοποίηση προσωπικών δεδομένων", "Shares personal data"),
    "referrals": ("Παραπομπές", "Referrals"),
    "state": ("Κατάσταση", "State"),
    "inbox": ("Εισερχόμενες παραπομπές", "Referral inbox"),
    "due": ("Προθεσμία", "Due"),
    "acknowledge": ("Παραλαβή", "Acknowledge"),
    "accept": ("Αποδοχή", "Accept"),
    "reject": ("Απόρριψη", "Reject"),
    "complete": ("Ολοκλήρωση", "Complete"),
    "reason": ("Αιτιολογία", "Reason"),
    "outcome": ("Έκβαση", "Outcome"),
    "send": ("Αποστολή", "Send"),
    "withdraw": ("Ανάκληση", "Withdraw"),
    "plan": ("Ατομικό πλάνο", "Action plan"),
    "goal": ("Στόχος", "Goal"),
    "step": ("Βήμα", "Step"),
    "open_plan": ("Άνοιγμα πλάνου", "Open a plan"),
    "add_step": ("Νέο βήμα", "Add a step"),
    "done": ("Ολοκληρώθηκε", "Done"),
    "due_on": ("Έως", "Due on"),
    "daily_register": ("Ημερήσιο μητρώο", "Daily register"),
    "overview": ("Περιφερειακή εικόνα", "Regional overview"),
    "events": ("Καταχωρίσεις", "Entries"),
    "errors": ("Ελέγξτε τα πεδία", "Please check the fields"),
    "forbidden": ("Δεν έχετε πρόσβαση σε αυτό.", "You do not have access to this."),
    "not_found": ("Δεν βρέθηκε.", "Not found."),
    "too_large": ("Η φόρμα είναι πολύ μεγάλη.", "The form is too large."),
    "cross_site": (
        "Η φόρμα δεν στάλθηκε από αυτή τη σελίδα: ανοίξτε τη σελίδα ξανά και δοκιμάστε πάλι.",
        "The form was not sent from this page: open the page again and try again.",
    ),
    "saved": ("Καταχωρίστηκε.", "Saved."),
    "warnings": ("Προσοχή", "Please note"),
    "break_glass": ("Πρόσβαση έκτακτης ανάγκης", "Break the glass"),
    "assessment": ("Αξιολόγηση αναγκών", "Needs assessment"),
    "other_recipient": (
        "Άλλος αποδέκτης (Κέντρο ή φορέας εκτός μητρώου)",
        "Another recipient (a centre, or outside the registry)",
    ),
    "recipient_code": (
        "Κωδικός αποδέκτη (Κέντρο ή φορέας)",
        "Recipient code (a centre or an agency)",
    ),
    "recipient_name": ("Όνομα αποδέκτη", "Recipient name"),
    "gender": ("Φύλο", "Gender"),
    "leaving": ("Αποχώρηση και παρακολούθηση", "Leaving and follow-up"),
    "situation_at_exit": ("Κατάσταση κατά την αποχώρηση", "Situation on leaving"),
    "close_case": ("Κλείσιμο φακέλου", "Close the case"),
    "follow_up": ("Καταγραφή εξαμήνου", "Six-month follow-up"),
    "employed_now": ("Εργάζεται", "In employment"),
    "improved": ("Βελτιωμένη θέση στην αγορά εργασίας", "Improved labour-market situation"),
    "language": ("English", "Ελληνικά"),
    # breaking the glass, and the DPO's pages
    "emergency_ask": (
        "Σε έκτακτη ανάγκη ζητήστε πρόσβαση σε όλο τον φάκελο για μία ώρα. Ο Υπεύθυνος"
        " Προστασίας Δεδομένων ενημερώνεται αμέσως και ελέγχει κάθε πρόσβαση.",
        "In an emergency, ask for access to the whole file for one hour. The data protection"
        " officer is told at once and reviews every access.",
    ),
    "emergency_special": (
        "Τα ειδικά δεδομένα (υγεία, αναπηρία, ευάλωτες ομάδες) ανοίγουν μόνο με πρόσβαση έκτακτης"
        " ανάγκης.",
        "Special-category data (health, disability, vulnerable groups) opens only through an"
        " emergency access.",
    ),
    "emergency_reason": ("Λόγος", "Reason"),
    "emergency_details": (
        "Τι συνέβη (τουλάχιστον 20 χαρακτήρες)",
        "What happened (at least 20 characters)",
    ),
    "emergency_until": ("Πρόσβαση έκτακτης ανάγκης έως", "Emergency access until"),
    "emergency_review": ("Προσβάσεις έκτακτης ανάγκης", "Emergency accesses"),
    "holder": ("Ποιος", "Who"),
    "whose_file": ("Φάκελος", "File"),
    "granted_at": ("Από", "From"),
    "expires_at": ("Έως", "Until"),
    "reviewed": ("Έλεγχος", "Review"),
    "review_note": ("Σημείωση ελέγχου", "Review note"),
    "mark_reviewed": ("Ελέγχθηκε", "Mark reviewed"),
    "no_grants": ("Καμία πρόσβαση έκτακτης ανάγκης.", "No emergency access."),
    "live": ("σε ισχύ", "live"),
    "subject_rights": ("Δικαιώματα υποκειμένου", "Subject's rights"),
    "subject_rights_hint": (
        "Κωδικός ωφελούμενου (όλα όσα τηρούνται για το πρόσωπο, άρθρο 15 ΓΚΠΔ, και ποιος είδε"
        " τον φάκελό του)",
        "Beneficiary id (everything held about the person, GDPR Art. 15, and who saw their file)",
    ),
    "show": ("Προβολή", "Show"),
    # municipal systems (ops, the coordinator)
    "municipal_events": ("Απορριφθέντα δημοτικά συμβάντα", "Refused municipal events"),
    "municipal_events_hint": (
        "Συμβάντα που έστειλαν δημοτικά συστήματα και δεν έγιναν δεκτά, με τους λόγους. Το"
        " περιεχόμενό τους δεν εμφανίζεται εδώ: το ανοίγει μόνο ο Υπεύθυνος Προστασίας Δεδομένων."
        " Η σύνοψη (digest) είναι αυτή που έλαβε ο δήμος.",
        "Events municipal systems sent that were not accepted, with the reasons. Their content is"
        " not shown here: only the data protection officer opens it. The digest is the one the"
        " municipality was given.",
    ),
    "no_refused_events": ("Κανένα απορριφθέν συμβάν.", "No refused event."),
    "received_at": ("Παραλαβή", "Received"),
    "publisher": ("Δημοτικό σύστημα", "Municipal system"),
    "no_publisher": ("(χωρίς αποστολέα)", "(no publisher named)"),
    "transport": ("Μέσο", "Through"),
    "http": ("HTTP (κλειδί API)", "HTTP (API key)"),
    "amqp": ("AMQP (RabbitMQ)", "AMQP (RabbitMQ)"),
    "event_type": ("Είδος", "Type"),
    "reasons": ("Λόγοι", "Reasons"),
    "digest": ("Σύνοψη", "Digest"),
    "municipal_publishers": ("Δημοτικά συστήματα", "Municipal systems"),
    "municipal_publishers_hint": (
        "Κάθε δημοτικό σύστημα στέλνει συμβάντα για ένα κέντρο κοινότητας, με κλειδί API (HTTP) ή"
        " με τον χρήστη του στον RabbitMQ (AMQP): το όνομά του είναι και ο χρήστης αυτός. Ένα"
        " απενεργοποιημένο σύστημα δεν γίνεται δεκτό από κανένα από τα δύο.",
        "Each municipal system sends events for one community centre, with an API key (HTTP) or"
        " its RabbitMQ user (AMQP): its name is that user. A deactivated system is accepted"
        " through neither.",
    ),
    "active": ("Ενεργό", "Active"),
    "inactive": ("Ανενεργό", "Inactive"),
    "api_keys": ("Κλειδιά API", "API keys"),
    "issued": ("εκδόθηκε", "issued"),
    "revoked": ("ανακλήθηκε", "revoked"),
    "revoke": ("Ανάκληση", "Revoke"),
    "issue_key": ("Νέο κλειδί API", "Issue an API key"),
    "activate": ("Ενεργοποίηση", "Activate"),
    "deactivate": ("Απενεργοποίηση", "Deactivate"),
    "key_issued": ("Νέο κλειδί API για το", "New API key for"),
    "key_shown_once": (
        "Αντιγράψτε το τώρα και δώστε το με ασφάλεια στον δήμο: δεν θα εμφανιστεί ξανά (τηρείται"
        " μόνο η σύνοψή του).",
        "Copy it now and hand it to the municipality securely: it will not be shown again (only"
        " its digest is kept).",
    ),
    "register_publisher": ("Νέο δημοτικό σύστημα", "Register a municipal system"),
    "publisher_name": (
        "Όνομα (ο χρήστης του στον RabbitMQ, π.χ. dimos-kalamatas)",
        "Name (its RabbitMQ user, e.g. dimos-kalamatas)",
    ),
    "export_json": ("Εξαγωγή σε JSON", "Export as JSON"),
    "registry": ("Μητρώο", "Registry"),
    "case_history": ("Ιστορικό φακέλου", "Case history"),
    "access_report": ("Ποιος είδε τον φάκελο", "Who saw the file"),
    "role": ("Ρόλος", "Role"),
    # logging in, sessions and passwords
    "wrong_login": ("Λάθος όνομα χρήστη ή κωδικός.", "Wrong username or password."),
    "wrong_password": ("Λάθος τρέχων κωδικός.", "The current password is wrong."),
    "throttled": (
        "Πολλές αποτυχημένες προσπάθειες· δοκιμάστε ξανά σε {seconds} δευτερόλεπτα.",
        "Too many failed attempts: try again in {seconds} seconds.",
    ),
    "change_password": ("Αλλαγή κωδικού", "Change password"),
    "current_password": ("Τρέχων κωδικός", "Current password"),
    "new_password": ("Νέος κωδικός", "New password"),
    "password_hint": (
        "Τουλάχιστον {min} χαρακτήρες· μια φράση από λέξεις που δεν σχετίζονται με εσάς ή τη δουλειά.",
        "At least {min} characters: a phrase of words that have nothing to do with you or the work.",
    ),
    "password_changed": (
        "Ο κωδικός άλλαξε. Οι άλλες συνδέσεις σας έκλεισαν.",
        "Your password was changed. Your other sessions were closed.",
    ),
    "weak_password": ("Ο κωδικός δεν είναι αρκετά ισχυρός.", "The password is not strong enough."),
    "too_short": (
        "Ο κωδικός πρέπει να έχει τουλάχιστον {min} χαρακτήρες.",
        "The password must have at least {min} characters.",
    ),
    "too_long": (
        "Ο κωδικός δεν μπορεί να έχει περισσότερους από {max} χαρακτήρες.",
        "The password cannot have more than {max} characters.",
    ),
    "too_guessable": (
        "Ο κωδικός μαντεύεται εύκολα (κοινές λέξεις, ονόματα, ημερομηνίες, σειρές πλήκτρων ή το"
        " όνομα χρήστη σας): προτιμήστε μια φράση τεσσάρων ασύνδετων λέξεων.",
        "The password is easy to guess (common words, names, dates, keyboard runs or your"
        " username): prefer a phrase of four unrelated words.",
    ),
    # the API's refusals (entrypoints/api/framework.py): a client shows them as they are
    "api_not_json": ("Το σώμα του αιτήματος δεν είναι JSON: {why}", "The body is not JSON: {why}"),
    "api_too_deep": (
        "Το σώμα του αιτήματος έχει περισσότερα από {depth} επίπεδα εμφώλευσης.",
        "The body nests deeper than {depth} levels.",
    ),
    "api_too_large": (
        "Το σώμα του αιτήματος ξεπερνά τα {limit} bytes.",
        "The body is larger than {limit} bytes.",
    ),
    "api_nul": (
        "Το αίτημα περιέχει χαρακτήρες NUL (U+0000).",
        "The request contains NUL (U+0000) characters.",
    ),
    "api_not_unicode": (
        "Το αίτημα περιέχει κείμενο που δεν είναι έγκυρο Unicode.",
        "The request contains text that is not valid Unicode.",
    ),
    "api_not_object": (
        "Το σώμα του αιτήματος πρέπει να είναι αντικείμενο JSON.",
        "The body must be a JSON object.",
    ),
    "api_contract": (
        "Το αίτημα δεν ταιριάζει με τη σύμβασή του: τα πεδία και οι λόγοι στο details.",
        "The request does not match its contract: the fields and reasons are in details.",
    ),
    "api_query": (
        "Οι παράμετροι της διεύθυνσης δεν είναι σωστές: οι λόγοι στο details.",
        "The query string does not match its parameters: the reasons are in details.",
    ),
    "api_no_route": ("Δεν υπάρχει τέτοιος πόρος: {path}", "No such resource: {path}"),
    "api_method": (
        "Η μέθοδος {method} δεν επιτρέπεται εδώ (επιτρέπονται: {allowed}).",
        "{method} is not allowed here (allowed: {allowed}).",
    ),
    "api_forbidden": (
        "Ο ρόλος ή η δομή σας δεν το επιτρέπει.",
        "Your role or site does not allow this.",
    ),
    "api_log_in": (
        "Συνδεθείτε πρώτα: Authorization: Bearer <token>",
        "Log in first: Authorization: Bearer <token>",
    ),
    "api_server_error": (
        "Σφάλμα από τη δική μας πλευρά· έχει καταγραφεί.",
        "An error on our side; it has been logged.",
    ),
    "no_such_beneficiary": ("Δεν βρέθηκε τέτοιος ωφελούμενος.", "No such beneficiary."),
    "no_such_referral": ("Δεν βρέθηκε τέτοια παραπομπή.", "No such referral."),
    "no_such_grant": (
        "Δεν βρέθηκε τέτοια πρόσβαση έκτακτης ανάγκης.",
        "No such emergency grant.",
    ),
    "period": ("Περίοδος", "Period"),
    "released_at": ("Δημοσιεύθηκε", "Released"),
    "total": ("Σύνολο", "Total"),
    "hidden_mark": ("εμπ.", "conf."),
    "hidden_means": (
        "εμπ. = εμπιστευτικό: λιγότερα από 5 άτομα (ή κανένα), ή κρυμμένο ώστε να μη συναχθεί"
        " άλλο κελί από τα σύνολα. Τα στοιχεία ενός μήνα δημοσιεύονται μία φορά, μία εβδομάδα"
        " μετά το τέλος του, και δεν αλλάζουν.",
        "conf. = confidential: fewer than 5 people (or none), or hidden so that no other cell can"
        " be worked out from the totals. A month's figures are released once, a week after it"
        " ends, and never change.",
    ),
    "new_beneficiaries": ("Νέοι ωφελούμενοι", "New beneficiaries"),
    "contacts": ("Επαφές", "Contacts"),
    "contacts_by_channel": ("Επαφές ανά τρόπο", "Contacts by channel"),
    "services": ("Υπηρεσίες", "Services"),
    "response_times": ("Διάμεσος χρόνος απάντησης (ημέρες)", "Median days to answer"),
    # what an HSDS import tells whoever imports (services/registries/adapters/hsds_import.py)
    "hsds_not_a_table": (
        "Δεν είναι πίνακας του HSDS 3.0: αγνοήθηκε",
        "Not an HSDS 3.0 table: ignored",
    ),
    "hsds_unknown_columns": (
        "Στήλες που δεν ορίζει το HSDS 3.0 ({columns}): αγνοήθηκαν",
        "Columns HSDS 3.0 does not define ({columns}): ignored",
    ),
    "hsds_row_unlinked": (
        "Η γραμμή δεν ανήκει σε κανέναν οργανισμό ή πρόγραμμα του πακέτου: αγνοήθηκε",
        "The row belongs to no organization or program in the package: ignored",
    ),
    "hsds_reference_dropped": (
        "Παραπέμπει σε {value}, που δεν υπάρχει στο πακέτο: η παραπομπή αφαιρέθηκε",
        "Points to {value}, which is not in the package: the reference was left out",
    ),
    "hsds_area_not_municipality": (
        "Περιοχή που δεν είναι κωδικός δήμου: κρατήθηκε όπως δόθηκε, αλλά παραπομπές δεν "
        "δρομολογούνται με αυτήν",
        "An area that is not a municipality code: kept as given, but referrals are not routed by it",
    ),
    "hsds_second_service": (
        "Δεύτερη υπηρεσία του ίδιου οργανισμού ή προγράμματος: κρατήθηκε όπως δόθηκε· οι "
        "παραπομπές πηγαίνουν στην πρώτη",
        "A second service of the same organization or program: kept as given; referrals go to "
        "the first",
    ),
    "hsds_no_service": (
        "Χωρίς δική του υπηρεσία: καταχωρίστηκε, αλλά δεν δέχεται παραπομπές",
        "No service of its own: registered, but it receives no referrals",
    ),
    "hsds_defaults": (
        "Δεν δόθηκαν τα πεδία του Kentra {fields}: ισχύουν οι προεπιλογές (επίπεδο τοπικό, "
        "καμία ανάγκη, κανένας δήμος: δεν δρομολογούνται παραπομπές)",
        "Kentra's fields {fields} not given: defaults apply (level local, no need, no "
        "municipality: no referral is routed to it)",
    ),
    # names, not codes, and the services' messages in Greek (web/names.py, web/messages.py)
    "region": ("Περιφέρεια Πελοποννήσου", "Region of Peloponnese"),
    "yes": ("Ναι", "Yes"),
    "no": ("Όχι", "No"),
    "field_version": ("Έκδοση φακέλου", "Version of the file"),
    "field_form": ("Φόρμα", "Form"),
    "records_merged": ("συγχωνευμένες εγγραφές", "records merged"),
    "possible_duplicate": ("Πιθανή διπλοεγγραφή", "Possible duplicate"),
    "similarity": ("ομοιότητα", "similarity"),
    "open_record": ("άνοιγμα εγγραφής", "open the record"),
    "open_file": ("Άνοιγμα φακέλου", "Open the file"),
    "labour_status": ("Κατάσταση απασχόλησης", "Labour status"),
    "education": ("Εκπαίδευση", "Education"),
    "groups": ("Ευάλωτες ομάδες", "Vulnerable groups"),
    "needs": ("Ανάγκες", "Needs"),
    "household_size": ("Μέλη νοικοκυριού", "Household size"),
    "citizenship": ("Υπηκοότητα", "Citizenship"),
    "housing": ("Στέγαση", "Housing"),
    "rural": ("Αγροτική περιοχή", "Rural area"),
    "disability": ("Αναπηρία", "Disability"),
    "foreign_background": ("Αλλοδαπής καταγωγής", "Foreign background"),
    "by_mobile_unit": ("Από Κινητή Μονάδα", "By a mobile unit"),
}


def translator(lang: str):
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0
    return lambda key: WORDS.get(key, (key, key))[index]


def password_rules(t, reasons: list[str]) -> list[str]:
    """What the password policy's reasons (domain/passwords.py) say to a person."""
    return [t(reason).format(min=MIN_LENGTH, max=MAX_LENGTH) for reason in reasons]


# what the platform's codes (event types, channels, services, needs, states) say to a person
LABELS = {  # event types by their one definition (contracts/names.py), then the vocabularies
    names.BENEFICIARY_REGISTERED: ("Εγγραφή στο μητρώο", "Registered"),
    names.RECORD_VIEWED: ("Προβολή φακέλου", "File viewed"),
    names.EMERGENCY_ACCESS_GRANTED: ("Πρόσβαση έκτακτης ανάγκης", "Emergency access"),
    "danger_to_life": ("Κίνδυνος για τη ζωή", "Danger to life"),
    "medical_emergency": ("Επείγον ιατρικό περιστατικό", "Medical emergency"),
    "child_protection": ("Προστασία παιδιού", "Child protection"),
    "domestic_violence": ("Ενδοοικογενειακή βία", "Domestic violence"),
    "arrived_without_file": (
        "Προσήλθε χωρίς φάκελο σε άλλο Κέντρο",
        "Came to another centre without their file",
    ),
    "subject_access_request": ("Αίτημα πρόσβασης (άρθρο 15 ΓΚΠΔ)", "Access request (GDPR Art. 15)"),
    "access_report": ("Αναφορά προσβάσεων", "Access report"),
    names.PERSONAL_DATA_ERASED: ("Διαγραφή δεδομένων", "Erased"),
    names.BENEFICIARY_MERGED: ("Συγχώνευση εγγραφών", "Records merged"),
    names.BENEFICIARY_UNMERGED: ("Διαχωρισμός", "Unmerged"),
    names.CONTACT_RECORDED: ("Επαφή", "Contact"),
    names.SERVICE_DELIVERED: ("Υπηρεσία", "Service"),
    names.CONSENT_RECORDED: ("Συγκατάθεση", "Consent"),
    names.CONSENT_WITHDRAWN: ("Ανάκληση συγκατάθεσης", "Consent withdrawn"),
    names.NEEDS_ASSESSED: ("Αξιολόγηση αναγκών", "Needs assessed"),
    names.ACTION_PLAN_OPENED: ("Ατομικό πλάνο", "Plan opened"),
    names.ACTION_STEP_ADDED: ("Βήμα πλάνου", "Plan step"),
    names.ACTION_STEP_DONE: ("Βήμα ολοκληρώθηκε", "Step done"),
    names.ACTION_PLAN_CLOSED: ("Κλείσιμο πλάνου", "Plan closed"),
    names.CASE_CLOSED: ("Κλείσιμο φακέλου", "Case closed"),
    names.CASE_REOPENED: ("Επανάνοιγμα φακέλου", "Case reopened"),
    names.CASE_TRANSFERRED: ("Μεταφορά φακέλου", "Transferred"),
    names.REFERRAL_REQUESTED: ("Παραπομπή", "Referral"),
    names.REFERRAL_SENT: ("Αποστολή παραπομπής", "Referral sent"),
    names.REFERRAL_RECEIVED: ("Παραλαβή παραπομπής", "Referral received"),
    names.REFERRAL_ACCEPTED: ("Αποδοχή παραπομπής", "Referral accepted"),
    names.REFERRAL_REJECTED: ("Απόρριψη παραπομπής", "Referral rejected"),
    names.REFERRAL_COMPLETED: ("Έκβαση παραπομπής", "Referral completed"),
    names.REFERRAL_WITHDRAWN: ("Ανάκληση παραπομπής", "Referral withdrawn"),
    names.REFERRAL_EXPIRED: ("Λήξη παραπομπής", "Expired"),
    names.REFERRAL_SHARING_STOPPED: ("Διακοπή κοινοποίησης", "Sharing stopped"),
    "centre": ("Στο Κέντρο", "At the centre"),
    "mobile_unit_visit": ("Επίσκεψη Κινητής Μονάδας", "Mobile unit visit"),
    "home_visit": ("Κατ' οίκον επίσκεψη", "Home visit"),
    "woman": ("Γυναίκα", "Woman"),
    "man": ("Άνδρας", "Man"),
    "non_binary": ("Μη δυαδικό άτομο", "Non-binary"),
    "job_searching": ("Αναζητά εργασία", "Job searching"),
    "in_education_or_training": ("Σε εκπαίδευση ή κατάρτιση", "In education or training"),
    "gained_qualification": ("Απέκτησε προσόν", "Gained a qualification"),
    "employed": ("Εργάζεται", "Employed"),
    "none_of_these": ("Τίποτα από τα παραπάνω", "None of these"),
    "phone": ("Τηλεφωνικά", "Phone"),
    "information": ("Ενημέρωση", "Information"),
    "minimum_income_application": (
        "Αίτηση Ελάχιστου Εγγυημένου Εισοδήματος",
        "Minimum income application",
    ),
    "psychosocial_counselling": ("Ψυχοκοινωνική στήριξη", "Psychosocial counselling"),
    "learning_support": ("Μαθησιακή υποστήριξη", "Learning support"),
    "goods_distributed": ("Διανομή ειδών", "Goods distributed"),
    "legal_information": ("Νομική πληροφόρηση", "Legal"),
    "vocational_guidance": ("Επαγγελματικός προσανατολισμός", "Vocational guidance"),
    "help_to_enrol": ("Βοήθεια για ένταξη σε πρόγραμμα", "Help to enrol"),
    "employment": ("Απασχόληση", "Employment"),
    "training": ("Κατάρτιση", "Training"),
    "shelter": ("Στέγαση", "Shelter"),
    "food": ("Τρόφιμα", "Food"),
    "home_care": ("Βοήθεια στο σπίτι", "Home care"),
    "disability_support": ("Υποστήριξη ΑμεΑ", "Disability support"),
    "counselling": ("Συμβουλευτική", "Counselling"),
    "legal": ("Νομική βοήθεια", "Legal help"),
    "minimum_income": ("Ελάχιστο εισόδημα", "Minimum income"),
    "health": ("Υγεία", "Health"),
    "education": ("Εκπαίδευση", "Education"),
    "childcare": ("Φροντίδα παιδιών", "Childcare"),
    "requested": ("Σε αναμονή αποστολής", "Requested"),
    "sent": ("Στάλθηκε", "Sent"),
    "received": ("Παραλήφθηκε", "Received"),
    "accepted": ("Έγινε δεκτή", "Accepted"),
    "rejected": ("Απορρίφθηκε", "Rejected"),
    "completed": ("Ολοκληρώθηκε", "Completed"),
    "withdrawn": ("Ανακλήθηκε", "Withdrawn"),
    "expired": ("Έληξε", "Expired"),
    "service_given": ("Δόθηκε η υπηρεσία", "Service given"),
    "not_eligible": ("Μη επιλέξιμος", "Not eligible"),
    "no_show": ("Δεν προσήλθε", "No show"),
    "declined_by_beneficiary": ("Αρνήθηκε ο ίδιος", "Declined"),
    "referred_elsewhere": ("Παραπέμφθηκε αλλού", "Referred elsewhere"),
    "agency": ("Φορέας", "Agency"),
    "programme": ("Πρόγραμμα", "Programme"),
    "external": ("Φορέας εκτός μητρώου", "Agency outside the registry"),
    # names, not codes (web/names.py): the remaining event types, the assessment's vocabularies
    # (contracts/vocabulary.py, contracts/intake.py), roles and the referral's remaining states
    names.FOLLOW_UP_RECORDED: ("Καταγραφή εξαμήνου", "Six-month follow-up"),
    names.CENTRE_REGISTERED: ("Εγγραφή Κέντρου", "Centre registered"),
    names.MOBILE_UNIT_REGISTERED: ("Εγγραφή Κινητής Μονάδας", "Mobile unit registered"),
    names.PARTNER_MUNICIPALITIES_CHANGED: (
        "Αλλαγή συνεργαζόμενων δήμων",
        "Partner municipalities changed",
    ),
    names.STAFF_MEMBER_ASSIGNED: ("Τοποθέτηση εργαζομένου", "Staff member assigned"),
    names.STAFF_MEMBER_LEFT: ("Αποχώρηση εργαζομένου", "Staff member left"),
    names.AGENCY_REGISTERED: ("Εγγραφή φορέα", "Agency registered"),
    names.AGENCY_DETAILS_CHANGED: ("Αλλαγή στοιχείων φορέα", "Agency details changed"),
    names.PROGRAMME_REGISTERED: ("Εγγραφή προγράμματος", "Programme registered"),
    names.PROGRAMME_DETAILS_CHANGED: ("Αλλαγή στοιχείων προγράμματος", "Programme details changed"),
    names.LOGIN_FAILED: ("Αποτυχημένη σύνδεση", "Failed login"),
    names.EMERGENCY_ACCESS_REVIEWED: (
        "Έλεγχος πρόσβασης έκτακτης ανάγκης",
        "Emergency access reviewed",
    ),
    names.RELEASE_PUBLISHED: ("Δημοσίευση στοιχείων", "Figures released"),
    "poverty": ("Φτώχεια", "Poverty"),
    "child_exclusion": ("Παιδιά σε κίνδυνο αποκλεισμού", "Children at risk of exclusion"),
    "roma": ("Ρομά", "Roma"),
    "long_term_unemployed": ("Μακροχρόνια άνεργοι", "Long-term unemployed"),
    "disability": ("Αναπηρία", "Disability"),
    "refugee_or_asylum_seeker": ("Πρόσφυγες ή αιτούντες άσυλο", "Refugee or asylum seeker"),
    "third_country_national": ("Υπήκοοι τρίτων χωρών", "Third-country national"),
    "elderly": ("Ηλικιωμένοι", "Elderly"),
    "homeless": ("Άστεγοι", "Homeless"),
    "unemployed": ("Άνεργος/η", "Unemployed"),
    "inactive": ("Οικονομικά μη ενεργός/ή", "Inactive"),
    "0-2": ("Έως γυμνάσιο (ISCED 0-2)", "Up to lower secondary (ISCED 0-2)"),
    "3-4": ("Λύκειο ή μεταλυκειακή (ISCED 3-4)", "Upper or post-secondary (ISCED 3-4)"),
    "5-8": ("Τριτοβάθμια (ISCED 5-8)", "Tertiary (ISCED 5-8)"),
    "case_worker": ("Κοινωνικός λειτουργός / ψυχολόγος", "Case worker"),
    "head_of_centre": ("Υπεύθυνος Κέντρου", "Head of centre"),
    "agency_officer": ("Υπάλληλος φορέα", "Agency officer"),
    "regional_coordinator": ("Περιφερειακή Κοινωνική Πύλη", "Regional coordinator"),
    "dpo": ("Υπεύθυνος Προστασίας Δεδομένων", "Data protection officer"),
    "ops": ("Ομάδα λειτουργίας", "Operations"),
    "municipal_system": ("Δημοτικό σύστημα", "Municipal system"),
    "acknowledged": ("Παραλήφθηκε", "Acknowledged"),
    "not requested": ("Δεν έχει ζητηθεί", "Not requested"),
    "record": ("Φάκελος", "Record"),
    "search": ("Αναζήτηση", "Search"),
    "sync_conflict": ("Σύγκρουση συγχρονισμού", "Sync conflict"),
    "ingest_rejected": ("Απορριφθέν δημοτικό συμβάν", "Refused municipal event"),
    "audit": ("Έλεγχος προσβάσεων", "Audit"),
}


def labeller(lang: str):
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0
    return lambda code: LABELS.get(code, (code, code))[index] if isinstance(code, str) else code
