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
    # a dependency that is away (503, framework.unavailable): wait Retry-After, send it again
    "api_unavailable": (
        "Η υπηρεσία δεν είναι διαθέσιμη προσωρινά· δοκιμάστε ξανά σε λίγα δευτερόλεπτα.",
        "The service is temporarily unavailable: try again in a few seconds.",
    ),
    "api_not_stored": (
        "Η υπηρεσία δεν είναι διαθέσιμη προσωρινά και η εντολή δεν καταχωρίστηκε· στείλτε την"
        " ξανά σε λίγα δευτερόλεπτα.",
        "The service is temporarily unavailable and the command was not stored: send it again in"
        " a few seconds.",
    ),
    "api_outcome_unknown": (
        "Η σύνδεση διακόπηκε και δεν είναι γνωστό αν η εντολή καταχωρίστηκε· στείλτε την ξανά με"
        " το ίδιο command_id σε λίγα δευτερόλεπτα: δεν θα καταχωριστεί δεύτερη φορά.",
        "The connection broke and it is not known whether the command was stored: send it again"
        " with the same command_id in a few seconds; it will not be stored twice.",
    ),
    # the portal's page while a dependency is away (web/pages.py)
    "page_unavailable": (
        "Η υπηρεσία δεν είναι διαθέσιμη προσωρινά. Δοκιμάστε ξανά σε λίγο.",
        "The service is temporarily unavailable. Please try again shortly.",
    ),
    "page_not_stored": (
        "Ό,τι στείλατε δεν αποθηκεύτηκε: στείλτε το ξανά σε λίγο.",
        "What you sent was not saved: send it again shortly.",
    ),
    "page_outcome_unknown": (
        "Δεν είναι βέβαιο αν αποθηκεύτηκε ό,τι στείλατε. Ελέγξτε τον φάκελο πριν το στείλετε ξανά.",
        "It is not certain whether what you sent was saved. Check the record before sending it"
        " again.",
    ),
    "try_again": ("Δοκιμάστε ξανά", "Try again"),
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
    # --- the referral loop (issue 15): proposals, consent from the registry, the inbox ---
    "agencies": ("Φορείς", "Agencies"),
    "centres": ("Κέντρα Κοινότητας", "Community centres"),
    "show_proposals": ("Προτάσεις για την ανάγκη", "Proposals for this need"),
    "proposals_for": ("προτάσεις για", "proposals for"),
    "no_proposals": (
        "Κανένας φορέας ή πρόγραμμα του μητρώου δεν καλύπτει αυτή την ανάγκη στον δήμο του"
        " ωφελούμενου για τα κριτήρια επιλεξιμότητάς του.",
        "No agency or programme of the registry takes this need in the person's municipality"
        " for their eligibility.",
    ),
    "answer": ("Απάντηση φορέα", "Recipient's answer"),
    "outside_registry": (
        "Φορέας εκτός μητρώου (όνομα και κωδικός)",
        "An agency outside the registry (its name and a code)",
    ),
    "actions": ("Ενέργειες", "Actions"),
    "on_day": ("στις", "on"),
    "consent_saved": ("Η συγκατάθεση καταχωρίστηκε.", "The consent was recorded."),
    "referral_requested": (
        "Η παραπομπή καταχωρίστηκε. Στείλτε τη στον αποδέκτη με «Αποστολή».",
        "The referral was recorded. Send it to the recipient with «Send».",
    ),
    "referral_sent": ("Η παραπομπή στάλθηκε στον αποδέκτη.", "The referral was sent."),
    "referral_acknowledged": ("Η παραλαβή καταχωρίστηκε.", "Receipt acknowledged."),
    "referral_accepted": ("Η παραπομπή έγινε δεκτή.", "The referral was accepted."),
    "referral_rejected": ("Η παραπομπή απορρίφθηκε.", "The referral was rejected."),
    "referral_completed": (
        "Η έκβαση καταχωρίστηκε και φαίνεται στον φάκελο του ωφελούμενου.",
        "The outcome was recorded and shows on the beneficiary's record.",
    ),
    "open_ones": ("Όλες οι ανοικτές", "All open ones"),
    "due_by": ("Προθεσμία έως", "Due by"),
    "overdue_only": ("Μόνο εκπρόθεσμες", "Overdue only"),
    "overdue": ("εκπρόθεσμη", "overdue"),
    "filter": ("Εφαρμογή φίλτρων", "Filter"),
    "clear_filters": ("Καθαρισμός φίλτρων", "Clear filters"),
    "inbox_count": (
        "{total} παραπομπές · σελίδα {page} από {pages}",
        "{total} referrals · page {page} of {pages}",
    ),
    "person": ("Ωφελούμενος", "Person"),
    "from_site": ("Από", "From"),
    "no_consent_shown": (
        "Δεν εμφανίζεται: καμία συγκατάθεση σε ισχύ για τον φορέα σας",
        "Not shown: no consent in force covers your agency",
    ),
    "sharing_stopped": ("η κοινοποίηση διακόπηκε", "sharing stopped"),
    "pages": ("Σελίδες", "Pages"),
    "previous_page": ("← Προηγούμενη σελίδα", "← Previous page"),
    "next_page": ("Επόμενη σελίδα →", "Next page →"),
    # --- the report pages (web/report_pages.py): overview, ESF+, coverage, targets, referral
    # flow, staffing and caseload, the daily register; their charts and downloads
    "reports": ("Αναφορές", "Reports"),
    "whole_region": ("Όλη η Περιφέρεια", "The whole region"),
    "unknown_format": (
        "Άγνωστη μορφή αρχείου: επιλέξτε CSV ή XLSX.",
        "Unknown file format: choose CSV or XLSX.",
    ),
    "download": ("Λήψη", "Download"),
    "released_month": ("Μήνας δημοσίευσης", "Released month"),
    "year_of_entry": ("Έτος εισόδου", "Year of entry"),
    "chart_of": ("Διάγραμμα", "Chart"),
    "chart_fallback": (
        "Το διάγραμμα δεν εμφανίζεται: τα ίδια στοιχεία είναι στον πίνακα που ακολουθεί.",
        "The chart is not shown: the table below holds the same figures.",
    ),
    "chart_table": ("τα στοιχεία του διαγράμματος", "the chart's figures"),
    "no_figures": ("Δεν υπάρχουν στοιχεία.", "No figures."),
    "nothing_to_draw": (
        "Χωρίς διάγραμμα: κανένα στοιχείο του πίνακα δεν δημοσιεύεται (εμπ.), και ένα κρυμμένο"
        " κελί δεν σχεδιάζεται ποτέ ως αριθμός.",
        "No chart: none of the table's figures is released (conf.), and a hidden cell is never"
        " drawn as a number.",
    ),
    "by_site": ("Ανά δομή", "By site"),
    "contacts_by_municipality": ("Επαφές ανά δήμο", "Contacts by municipality"),
    "regional_unit": ("Περιφερειακή ενότητα", "Regional unit"),
    "trend_by_month": ("Εξέλιξη ανά μήνα", "Trend by month"),
    "trend_note": (
        "Ό,τι φεύγει από ένα Κέντρο δημοσιεύεται ανά μήνα (ποτέ ανά εβδομάδα): ένα άθροισμα με"
        " εμπιστευτικό κελί είναι κι αυτό εμπιστευτικό και δεν σχεδιάζεται.",
        "What leaves a centre is released by month (never by week): a sum with a confidential"
        " cell is confidential too and is not drawn.",
    ),
    "esf_indicators": ("Δείκτες ΕΚΤ+", "ESF+ indicators"),
    "participants_by_gender": (
        "Συμμετέχοντες ανά φύλο και πράξη",
        "Participants by gender and operation",
    ),
    "operation": ("Πράξη", "Operation"),
    "indicator": ("Δείκτης", "Indicator"),
    "gender_woman": ("Γυναίκες", "Women"),
    "gender_man": ("Άνδρες", "Men"),
    "gender_non_binary": ("Μη δυαδικά άτομα", "Non-binary"),
    "gender_unknown": ("Δεν δηλώθηκε", "Not stated"),
    "coverage": ("Κάλυψη ανά 1.000 κατοίκους", "Coverage per 1,000 residents"),
    "coverage_by_municipality": ("Κάλυψη ανά δήμο", "Coverage by municipality"),
    "population_2021": ("Πληθυσμός (απογραφή 2021)", "Population (2021 census)"),
    "per_1000_residents": (
        "Νέοι ωφελούμενοι ανά 1.000 κατοίκους",
        "New beneficiaries per 1,000 residents",
    ),
    "mobile_unit_contacts": ("Επαφές Κινητών Μονάδων", "Mobile-unit contacts"),
    "coverage_note": (
        "Νέοι ωφελούμενοι με κατοικία στον δήμο ανά 1.000 κατοίκους· όπου ο αριθμός είναι"
        " εμπιστευτικός, δεν δίνεται ούτε ο δείκτης.",
        "New beneficiaries living in the municipality per 1,000 residents; where the count is"
        " confidential, so is the rate.",
    ),
    "targets": ("Στόχοι και χρόνος", "Targets and time elapsed"),
    "targets_progress": ("Πρόοδος προς τον στόχο", "Progress towards the target"),
    "operation_period": ("Περίοδος πράξης", "Operation period"),
    "target": ("Στόχος (νέοι ωφελούμενοι)", "Target (new beneficiaries)"),
    "share_of_target": ("% του στόχου", "% of target"),
    "period_elapsed": ("% της περιόδου", "% of the period"),
    "at_least": ("τουλάχιστον {n}", "at least {n}"),
    "target_sentence": (
        "{site}: {reached} του στόχου, {elapsed} της περιόδου",
        "{site}: {reached} of the target, {elapsed} of the period",
    ),
    "released_through": ("Δημοσιευμένοι μήνες έως", "Released months through"),
    "referral_flow": ("Ροή παραπομπών", "Referral flow"),
    "referral_funnel": ("Από την αποστολή στην έκβαση", "From sending to outcome"),
    "stage": ("Στάδιο", "Stage"),
    "funnel_sent": ("Στάλθηκαν", "Sent"),
    "funnel_answered": ("Απαντήθηκαν", "Answered"),
    "funnel_accepted": ("Έγιναν δεκτές (και ολοκληρωμένες)", "Accepted (and completed)"),
    "funnel_rejected": ("Απορρίφθηκαν", "Rejected"),
    "funnel_pending": ("Σε αναμονή απάντησης", "Awaiting an answer"),
    "funnel_expired": ("Έληξαν", "Expired"),
    "funnel_withdrawn": ("Ανακλήθηκαν", "Withdrawn"),
    "funnel_note": (
        "Οι παραπομπές που στάλθηκαν τον μήνα, με την έκβασή τους όπως ήταν γνωστή στη"
        " δημοσίευση· η παραλαβή δεν δημοσιεύεται χωριστά.",
        "The referrals sent in the month, with their outcome as known when released; receipt"
        " is not released separately.",
    ),
    "by_recipient": ("Ανά αποδέκτη του μητρώου και ανάγκη", "By registry recipient and need"),
    "recipients_outside_registry": (
        "Αποδέκτες εκτός μητρώου («άλλος»)",
        'Recipients outside the registry ("other")',
    ),
    "others_note": (
        "Αποδέκτες που γράφτηκαν ελεύθερα, χωριστά από τους φορείς του μητρώου.",
        "Recipients typed in freely, kept apart from the registry's agencies.",
    ),
    "outcome_accepted": ("Δεκτές", "Accepted"),
    "outcome_rejected": ("Απορρίφθηκαν", "Rejected"),
    "outcome_pending": ("Σε αναμονή", "Pending"),
    "outcome_expired": ("Έληξαν", "Expired"),
    "outcome_withdrawn": ("Ανακλήθηκαν", "Withdrawn"),
    "acceptance_rate": ("% αποδοχής", "% accepted"),
    "median_days_to_response": ("Διάμεσες ημέρες ως την απάντηση", "Median days to answer"),
    "median_days_to_outcome": ("Διάμεσες ημέρες ως την έκβαση", "Median days to outcome"),
    "staffing": ("Στελέχωση και φόρτος", "Staffing and caseload"),
    "staff_by_site": ("Στελέχη ανά δομή", "Staff by site"),
    "kind": ("Είδος", "Kind"),
    "kind_centre": ("Κέντρο Κοινότητας", "Community centre"),
    "kind_mobile_unit": ("Κινητή Μονάδα", "Mobile unit"),
    "lead_population": ("Πληθυσμός δήμου έδρας", "Lead municipality's population"),
    "staff_members": ("Στελέχη", "Staff"),
    "staff_by_role": ("Ανά ειδικότητα", "By role"),
    "staffing_warnings": ("Προειδοποιήσεις", "Warnings"),
    "caseload": ("Φόρτος ανά στέλεχος", "Caseload per staff member"),
    "staff_member": ("Στέλεχος", "Staff member"),
    "beneficiaries": ("Ωφελούμενοι", "Beneficiaries"),
    "role_social_worker": ("Κοινωνικός λειτουργός", "Social worker"),
    "role_psychologist": ("Ψυχολόγος", "Psychologist"),
    "role_social_scientist": ("Κοινωνικός επιστήμονας", "Social scientist"),
    "role_health_visitor": ("Επισκέπτης υγείας", "Health visitor"),
    "role_economist_administrator": ("Οικονομολόγος / διοικητικός", "Economist / administrator"),
    "role_learning_support": ("Εκπαιδευτικός", "Learning support"),
    "role_mediator": ("Διαμεσολαβητής", "Mediator"),
    "role_driver": ("Οδηγός", "Driver"),
    "by_week": ("Ανά εβδομάδα", "By week"),
    "week_of": ("Εβδομάδα από", "Week of"),
    "by_day": ("Ανά ημέρα", "By day"),
    "category": ("Κατηγορία", "Category"),
    "count": ("Πλήθος", "Count"),
    # the ESF+ common indicators (Reg. (EU) 2021/1057, Annex I), in reporting's words
    "esf_total_participants": ("Σύνολο συμμετεχόντων", "Total participants"),
    "esf_unemployed_incl_long_term": (
        "Άνεργοι, συμπεριλαμβανομένων των μακροχρόνια ανέργων",
        "Unemployed, including long-term unemployed",
    ),
    "esf_long_term_unemployed": ("Μακροχρόνια άνεργοι", "Long-term unemployed"),
    "esf_inactive": ("Οικονομικά μη ενεργοί", "Inactive"),
    "esf_employed_incl_self_employed": (
        "Απασχολούμενοι, συμπεριλαμβανομένων των αυτοαπασχολούμενων",
        "Employed, including self-employed",
    ),
    "esf_below_18": ("Παιδιά κάτω των 18 ετών", "Below 18 years of age"),
    "esf_aged_18_29": ("Νέοι 18-29 ετών", "Aged 18-29"),
    "esf_aged_55_and_over": ("55 ετών και άνω", "Aged 55 and over"),
    "esf_isced_0_2": (
        "Κατώτερη δευτεροβάθμια ή χαμηλότερη (ISCED 0-2)",
        "Lower secondary education or less (ISCED 0-2)",
    ),
    "esf_isced_3_4": (
        "Ανώτερη δευτεροβάθμια ή μεταδευτεροβάθμια (ISCED 3-4)",
        "Upper secondary or post-secondary education (ISCED 3-4)",
    ),
    "esf_isced_5_8": ("Τριτοβάθμια (ISCED 5-8)", "Tertiary education (ISCED 5-8)"),
    "esf_with_disabilities": ("Συμμετέχοντες με αναπηρία", "Participants with disabilities"),
    "esf_third_country_nationals": ("Υπήκοοι τρίτων χωρών", "Third-country nationals"),
    "esf_foreign_background": (
        "Συμμετέχοντες αλλοδαπής καταγωγής",
        "Participants with a foreign background",
    ),
    "esf_minorities_incl_roma": (
        "Μειονότητες (συμπεριλαμβανομένων των Ρομά)",
        "Minorities (including Roma)",
    ),
    "esf_homeless_or_housing_exclusion": (
        "Άστεγοι ή πληττόμενοι από στεγαστικό αποκλεισμό",
        "Homeless or affected by housing exclusion",
    ),
    "esf_from_rural_areas": ("Από αγροτικές περιοχές", "From rural areas"),
    "esf_job_searching_on_leaving": (
        "Αναζητούν εργασία κατά την αποχώρηση",
        "Engaged in job searching upon leaving",
    ),
    "esf_in_education_or_training_on_leaving": (
        "Σε εκπαίδευση ή κατάρτιση κατά την αποχώρηση",
        "In education or training upon leaving",
    ),
    "esf_gained_qualification_on_leaving": (
        "Απέκτησαν προσόντα κατά την αποχώρηση",
        "Gained a qualification upon leaving",
    ),
    "esf_employed_on_leaving": ("Σε απασχόληση κατά την αποχώρηση", "In employment upon leaving"),
    "esf_employed_six_months_after": (
        "Σε απασχόληση έξι μήνες μετά την αποχώρηση",
        "In employment six months after leaving",
    ),
    "esf_improved_situation_six_months_after": (
        "Με βελτιωμένη θέση στην αγορά εργασίας έξι μήνες μετά",
        "With an improved labour market situation six months after leaving",
    ),
    # --- the roles' home pages, the DPO's and ops' pages (issue 15) -------------------------------
    "home_case_worker": (
        "Η μέρα σας: οι επαφές σας, τα βήματα που λήγουν και οι παραπομπές που απαντήθηκαν.",
        "Your day: your contacts, the steps falling due and the referrals answered.",
    ),
    "home_head_of_centre": (
        "Η μέρα του κέντρου και ο φόρτος του προσωπικού του.",
        "The centre's day and its staff's caseloads.",
    ),
    "home_agency_officer": (
        "Οι παραπομπές προς τον φορέα σας που θέλουν απάντηση.",
        "The referrals to your agency that need an answer.",
    ),
    "home_regional_coordinator": (
        "Η περιφέρεια: οι παραπομπές σε καθυστέρηση και ο τελευταίος μήνας.",
        "The region: overdue referrals and the latest month.",
    ),
    "home_dpo": (
        "Ό,τι περιμένει τον Υπεύθυνο Προστασίας Δεδομένων.",
        "What waits for the data protection officer.",
    ),
    "home_ops": ("Η κατάσταση της πλατφόρμας.", "The platform's health."),
    "home_municipal_system": ("", ""),
    "attention_today": ("Χρειάζονται προσοχή σήμερα", "Needs attention today"),
    "home_new_referrals": (
        "νέες παραπομπές (δεν έχει επιβεβαιωθεί η παραλαβή)",
        "new referrals (receipt not acknowledged)",
    ),
    "home_due_referrals": ("λήγουν τις επόμενες {days} ημέρες", "due within the next {days} days"),
    "home_overdue_referrals": ("σε καθυστέρηση", "overdue"),
    "home_contacts_today": ("Οι επαφές σας σήμερα", "Your contacts today"),
    "home_no_contacts_today": ("Καμία επαφή σήμερα ακόμη.", "No contact today yet."),
    "home_person": ("Ωφελούμενος", "Beneficiary"),
    "home_steps_due": (
        "Βήματα σχεδίων δράσης που λήγουν (7 ημέρες)",
        "Action plan steps due (7 days)",
    ),
    "home_due_on": ("Λήγει", "Due"),
    "home_answered_referrals": (
        "Παραπομπές που απαντήθηκαν (7 ημέρες)",
        "Referrals answered (7 days)",
    ),
    "home_none": ("Καμία.", "None."),
    "home_centre_day": ("Η μέρα του κέντρου", "The centre's day"),
    "home_nothing_today": ("Τίποτα καταχωρισμένο σήμερα ακόμη.", "Nothing recorded today yet."),
    "home_caseload": ("Φόρτος προσωπικού", "Staff caseloads"),
    "home_staff_member": ("Μέλος προσωπικού", "Staff member"),
    "home_beneficiaries": ("Ωφελούμενοι", "Beneficiaries"),
    "home_region": ("Η περιφέρεια", "The region"),
    "home_overdue_in_region": (
        "παραπομπές σε καθυστέρηση στην περιφέρεια",
        "overdue referrals in the region",
    ),
    "home_latest_month": (
        "Τελευταίος δημοσιευμένος μήνας {period}",
        "Latest released month {period}",
    ),
    "home_referrals": ("παραπομπές", "referrals"),
    "home_no_release": ("Δεν έχει δημοσιευθεί ακόμη μήνας.", "No month released yet."),
    "home_new_beneficiaries": ("Νέοι ωφελούμενοι", "New beneficiaries"),
    "home_contacts": ("Επαφές", "Contacts"),
    "home_reports": ("Αναφορές", "Reports"),
    "home_report_esf": ("Δείκτες ΕΚΤ+", "ESF+ indicators"),
    "home_report_coverage": ("Κάλυψη ανά 1.000 κατοίκους", "Coverage per 1,000 residents"),
    "home_report_targets": ("Στόχοι και χρόνος που πέρασε", "Targets against time elapsed"),
    "home_report_referral-flow": ("Ροή παραπομπών", "Referral flow"),
    "home_report_staffing": ("Στελέχωση", "Staffing"),
    "home_unreviewed_grants": (
        "προσβάσεις έκτακτης ανάγκης χωρίς έλεγχο",
        "emergency grants not reviewed",
    ),
    "home_site_records": ("εγγραφές σε άλλο κέντρο προς έλεγχο", "site records to review"),
    "home_possible_duplicates": (
        "πιθανά διπλότυπα μεταξύ δικτύων",
        "possible duplicates across networks",
    ),
    "home_recent_erasures": ("Διαγραφές των τελευταίων 30 ημερών", "Erasures of the last 30 days"),
    "home_record": ("Φάκελος", "Record"),
    "home_dead_letters": ("μηνύματα σε αναμονή (dead letters)", "dead letters"),
    "home_refused_events": ("απορριφθέντα δημοτικά συμβάντα", "refused municipal events"),
    "audit": ("Έλεγχος προσβάσεων", "Access audit"),
    "audit_hint": (
        "Ποιος είδε τον φάκελο ενός προσώπου, πότε, από πού και γιατί.",
        "Who saw a person's file, when, from where and why.",
    ),
    "audit_fields": ("Στοιχεία", "Fields"),
    "dpo_find": ("Εύρεση", "Find"),
    "dpo_nobody": ("Δεν βρέθηκε κανείς.", "Nobody found."),
    "dpo_found": ("Βρέθηκαν: {n}", "Found: {n}"),
    "beneficiary_id_hint": ("ή ο κωδικός του φακέλου", "or the record's id"),
    "registered_at": ("Καταχωρίστηκε σε", "Registered at"),
    "erased_person": (
        "Πρόσωπο του οποίου τα στοιχεία διαγράφηκαν",
        "A person whose data was erased",
    ),
    "category_identity": ("ταυτότητα", "identity"),
    "category_contacts": ("επαφές", "contacts"),
    "category_referrals": ("παραπομπές", "referrals"),
    "category_special_category": ("ειδικές κατηγορίες", "special categories"),
    "category_audit": ("έλεγχος", "audit"),
    "role_case_worker": ("Κοινωνικός λειτουργός", "Case worker"),
    "role_head_of_centre": ("Υπεύθυνος Κέντρου", "Head of centre"),
    "role_agency_officer": ("Υπάλληλος φορέα", "Agency officer"),
    "role_regional_coordinator": ("Περιφερειακός συντονιστής", "Regional coordinator"),
    "role_dpo": ("Υπεύθυνος Προστασίας Δεδομένων", "Data protection officer"),
    "role_ops": ("Ομάδα λειτουργίας", "Operations"),
    "role_municipal_system": ("Σύστημα δήμου", "Municipal system"),
    "erasure": ("Διαγραφή προσωπικών δεδομένων", "Erasure of personal data"),
    "erasure_hint": (
        "Η διαγραφή σβήνει τα προσωπικά στοιχεία· το ιστορικό και οι μετρήσεις μένουν χωρίς αυτά. Δεν αναιρείται.",
        "Erasure removes the personal data; the history and the counts stay without it. It cannot be undone.",
    ),
    "erasure_of": ("Διαγραφή των στοιχείων του/της", "Erase the data of"),
    "erasure_warning": (
        "Ελέγξτε ότι είναι το σωστό πρόσωπο: η διαγραφή δεν αναιρείται.",
        "Check that this is the right person: an erasure cannot be undone.",
    ),
    "erasure_reason": (
        "Αιτιολογία (π.χ. αίτημα διαγραφής, άρθρο 17 ΓΚΠΔ)",
        "Reason (e.g. an erasure request, GDPR Art. 17)",
    ),
    "erasure_confirm": (
        "Για επιβεβαίωση, πληκτρολογήστε το επώνυμο «{name}»",
        "To confirm, type the family name “{name}”",
    ),
    "erasure_button": ("Οριστική διαγραφή", "Erase for good"),
    "erasure_confirm_mismatch": (
        "Το επώνυμο που πληκτρολογήσατε δεν είναι του προσώπου: δεν διαγράφηκε τίποτα.",
        "The family name you typed is not the person's: nothing was erased.",
    ),
    "erasure_done": ("Τα προσωπικά στοιχεία διαγράφηκαν.", "The personal data were erased."),
    "dead_letters": ("Μηνύματα σε αναμονή (dead letters)", "Dead letters"),
    "dead_letters_hint": (
        "Γεγονότα που ένα μοντέλο ανάγνωσης δεν μπόρεσε να εφαρμόσει, και μηνύματα που αρνήθηκε."
        " Μετά τη διόρθωση, «Επανάληψη»· ένα μήνυμα που αρνήθηκε κλείνει με αιτιολογία.",
        "Events a read model could not apply, and messages it refused. After a fix, retry;"
        " a refused message is closed with a reason.",
    ),
    "no_dead_letters": ("Κανένα μήνυμα σε αναμονή.", "No dead letters."),
    "retry_dead_letters": ("Επανάληψη", "Retry"),
    "failed_at": ("Πότε απέτυχε", "Failed at"),
    "source": ("Πηγή", "Source"),
    "source_registries": ("Μητρώα", "Registries"),
    "source_intake": ("Φάκελοι", "Case files"),
    "source_referrals": ("Παραπομπές", "Referrals"),
    "dead_letter_where": ("Πού", "Where"),
    "dead_letter_error": ("Σφάλμα", "Error"),
    "technical_detail": ("Τεχνική λεπτομέρεια", "Technical detail"),
    "refused_message": ("Μήνυμα που δεν έχει η πηγή", "A message its source does not hold"),
    "discard": ("Κλείσιμο", "Discard"),
    "discard_reason": ("Αιτιολογία", "Reason"),
    "retried_not_discarded": ("Γεγονός ροής: μόνο επανάληψη", "An event of a stream: retried only"),
    "retried": ("Επιλύθηκαν {resolved}· μένουν {open}.", "Resolved {resolved}; {open} still open."),
    "discarded": (
        "Το μήνυμα έκλεισε με την αιτιολογία σας.",
        "The message was closed with your reason.",
    ),
    "read_model_timeline": ("Διαδρομή ωφελούμενων", "Beneficiaries' timeline"),
    "read_model_reporting": ("Αναφορές", "Reporting"),
    "consistency_check": ("Έλεγχος συνέπειας", "Consistency check"),
    "consistency_hint": (
        "Κάθε μοντέλο ανάγνωσης απέναντι στις πηγές του, τώρα. Μια ροή που απλώς υστερεί μπορεί να είναι καθυστέρηση.",
        "Each read model against its sources, now. A stream only behind may be lag.",
    ),
    "run_again": ("Νέος έλεγχος", "Check again"),
    "consistent": ("συνεπές", "consistent"),
    "inconsistent": ("{n} διαφορές", "{n} differences"),
    "stream": ("Ροή", "Stream"),
    "difference": ("Διαφορά", "Difference"),
    "difference_missing": ("λείπει", "missing"),
    "difference_behind": ("υστερεί", "behind"),
    "difference_ahead": ("προηγείται", "ahead"),
    "difference_hash_differs": ("διαφορετικό περιεχόμενο", "different content"),
    "difference_unknown_to_the_source": ("άγνωστη στην πηγή", "unknown to the source"),
    "source_version": ("Έκδοση πηγής", "Source version"),
    "consumer_version": ("Έκδοση εδώ", "Version here"),
    "prometheus": ("Μετρήσεις (Prometheus)", "Metrics (Prometheus)"),
    "grafana": ("Πίνακες (Grafana)", "Dashboards (Grafana)"),
    "discard_reason_needed": ("Γράψτε γιατί κλείνει το μήνυμα.", "Say why the message is closed."),
    "no_such_read_model": ("Δεν υπάρχει τέτοιο μοντέλο ανάγνωσης.", "No such read model."),
    "no_such_dead_letter": (
        "Δεν υπάρχει ανοιχτό τέτοιο μήνυμα (ένα γεγονός ροής επαναλαμβάνεται, δεν κλείνει).",
        "No such open refused message (an event of a stream is retried, not discarded).",
    ),
    # --- the mobile unit's sync (issue 16): each item's answer ---------------------------------
    "offline_time_in_future": (
        "Η ώρα καταχώρισης ({when}) είναι στο μέλλον: ελέγξτε την ώρα της συσκευής."
        " Δεν καταχωρίστηκε τίποτα.",
        "The time it was recorded ({when}) is in the future: check the device's clock."
        " Nothing was recorded.",
    ),
    "offline_time_too_old": (
        "Καταχωρίστηκε εκτός σύνδεσης πριν από περισσότερες από {days} ημέρες ({when}), πριν από"
        " τη διαδρομή: δεν καταχωρίστηκε. Καταχωρίστε το από την πύλη με την ημερομηνία του.",
        "It was recorded offline more than {days} days ago ({when}), before the trip: it was not"
        " recorded. Record it in the portal with its date.",
    ),
    "sync_conflict": (
        "Μετά την έκδοση {base} του φακέλου που είχατε, καταχώρισε κάποιος άλλος (τώρα: έκδοση"
        " {version}). Δεν καταχωρίστηκε και δεν αντικαταστάθηκε τίποτα: δείτε τι άλλαξε και"
        " αποφασίστε.",
        "Someone else recorded on the file after version {base} you had (now: version"
        " {version}). Nothing was recorded or overwritten: see what changed and decide.",
    ),
    # --- search and accessibility (issue 15: search, pages at 412 px, WCAG) ---
    "search_help": (
        "Αρκεί η αρχή κάθε λέξης (π.χ. «Παπαδοπ» ή «papadop»), με ή χωρίς τόνους.",
        "The beginning of each word is enough (e.g. «Παπαδοπ» or «papadop»), accents or not.",
    ),
    "search_results": ("Αποτελέσματα", "Results"),
    "search_count": ("Βρέθηκαν: {count}", "Found: {count}"),
    "search_page": ("σελίδα {page} από {pages}", "page {page} of {pages}"),
    "search_order": (
        "Πρώτα όσοι ταιριάζουν σε ολόκληρες λέξεις, μετά κατά επώνυμο και όνομα.",
        "Whole-word matches first, then by family name and given name.",
    ),
    "search_capped": (
        "Εμφανίζονται οι {count} καλύτερες αντιστοιχίες: προσθέστε λέξεις για να βρείτε τους υπόλοιπους.",
        "The {count} best matches are shown: add words to find the others.",
    ),
    "search_pages": ("Σελίδες αποτελεσμάτων", "Result pages"),
    "birth_year": ("Έτος γέννησης", "Birth year"),
    "search_centre": ("Κέντρο", "Centre"),
    "main_menu": ("Κύριο μενού", "Main menu"),
    "skip_to_content": ("Μετάβαση στο περιεχόμενο", "Skip to content"),
    # --- the record's forms: needs assessment, duplicates and merge requests (issue 15, 2 and 4)
    "record_assessment": ("Καταγραφή αξιολόγησης αναγκών", "Record a needs assessment"),
    "vulnerable_groups": ("Ευάλωτες ομάδες", "Vulnerable groups"),
    "assessed_needs": ("Ανάγκες", "Needs"),
    "household_size": ("Μέλη νοικοκυριού", "Household size"),
    "labour_status": ("Κατάσταση στην αγορά εργασίας", "Labour market status"),
    "education_level": ("Επίπεδο εκπαίδευσης", "Education"),
    "has_disability": ("Άτομο με αναπηρία", "Has a disability"),
    "citizenship": ("Υπηκοότητα (κωδικός χώρας, π.χ. GR)", "Citizenship (country code, e.g. GR)"),
    "foreign_background": ("Αλλοδαπής καταγωγής", "Foreign background"),
    "housing": ("Στέγαση", "Housing"),
    "rural": ("Κατοικεί σε αγροτική περιοχή", "Lives in a rural area"),
    "possible_duplicate": ("Πιθανώς το ίδιο πρόσωπο", "Possibly the same person"),
    "born_in": ("γεννήθηκε το", "born in"),
    "request_merge": ("Αίτημα συγχώνευσης", "Request a merge"),
    "merge_reason": ("Γιατί είναι το ίδιο πρόσωπο", "Why this is the same person"),
    "merge_requests": ("Αιτήματα συγχώνευσης", "Merge requests"),
    "merge_requested": (
        "Το αίτημα συγχώνευσης στάλθηκε στον/στην υπεύθυνο του Κέντρου.",
        "The merge request was sent to the head of centre.",
    ),
    "no_merge_requests": ("Κανένα αίτημα σε αναμονή.", "No request pending."),
    "approve": ("Έγκριση", "Approve"),
    "decline": ("Απόρριψη", "Decline"),
    "requested_by": ("Αίτημα από", "Requested by"),
    "duplicate_record": ("Διπλή εγγραφή", "Duplicate record"),
    "surviving_record": ("Εγγραφή που μένει", "Record kept"),
    "merge_decided": ("Η απόφαση καταχωρίστηκε.", "The decision was recorded."),
    # names, not codes, and the services' messages in Greek (web/names.py, web/messages.py)
    "region": ("Περιφέρεια Πελοποννήσου", "Region of Peloponnese"),
    "yes": ("Ναι", "Yes"),
    "no": ("Όχι", "No"),
    "field_version": ("Έκδοση φακέλου", "Version of the file"),
    "field_form": ("Φόρμα", "Form"),
    "records_merged": ("συγχωνευμένες εγγραφές", "records merged"),
    "similarity": ("ομοιότητα", "similarity"),
    "open_record": ("άνοιγμα εγγραφής", "open the record"),
    "open_file": ("Άνοιγμα φακέλου", "Open the file"),
    "education": ("Εκπαίδευση", "Education"),
    "groups": ("Ευάλωτες ομάδες", "Vulnerable groups"),
    "needs": ("Ανάγκες", "Needs"),
    "disability": ("Αναπηρία", "Disability"),
    "by_mobile_unit": ("Από Κινητή Μονάδα", "By a mobile unit"),
    "trip_not_served": (
        "Η λήψη για την εξόρμηση ζητά δήμο που δεν εξυπηρετεί η δομή σας.",
        "The trip's download asks for a municipality your site does not serve.",
    ),
    "offline_app": ("Εφαρμογή εκτός σύνδεσης", "Offline app"),
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
    names.MERGE_REQUESTED: ("Αίτημα συγχώνευσης", "Merge requested"),
    names.MERGE_REQUEST_APPROVED: ("Έγκριση συγχώνευσης", "Merge request approved"),
    names.MERGE_REQUEST_DECLINED: ("Απόρριψη αιτήματος συγχώνευσης", "Merge request declined"),
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
    "referral_inbox": ("Εισερχόμενες παραπομπές φορέα", "An agency's referral inbox"),
    # the referral flow's row of every recipient outside the registry (reporting's "other")
    "other": ("Άλλοι φορείς εκτός μητρώου", "Others outside the registry"),
    # --- the record's forms: the follow-up's event and the needs assessment's vocabularies
    # (issue 15, points 2 and 4)
    names.FOLLOW_UP_RECORDED: ("Παρακολούθηση μετά την αποχώρηση", "Follow-up after leaving"),
    "poverty": ("Κίνδυνος φτώχειας", "At risk of poverty"),
    "child_exclusion": ("Παιδί σε κίνδυνο αποκλεισμού", "Child at risk of exclusion"),
    "roma": ("Ρομά", "Roma"),
    "long_term_unemployed": ("Μακροχρόνια άνεργος/η", "Long-term unemployed"),
    "disability": ("Αναπηρία", "Disability"),
    "refugee_or_asylum_seeker": ("Πρόσφυγας ή αιτών άσυλο", "Refugee or asylum seeker"),
    "third_country_national": ("Υπήκοος τρίτης χώρας", "Third-country national"),
    "elderly": ("Ηλικιωμένος/η", "Elderly"),
    "homeless": ("Άστεγος/η", "Homeless"),
    "unemployed": ("Άνεργος/η", "Unemployed"),
    "inactive": ("Εκτός εργατικού δυναμικού", "Inactive"),
    "0-2": ("Έως γυμνάσιο (ISCED 0-2)", "Up to lower secondary (ISCED 0-2)"),
    "3-4": ("Λύκειο ή μεταλυκειακή (ISCED 3-4)", "Upper or post-secondary (ISCED 3-4)"),
    "5-8": ("Τριτοβάθμια (ISCED 5-8)", "Tertiary (ISCED 5-8)"),
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
    # the kinds of event stream ops read on the dead letters' and consistency pages (a stream's
    # id is <kind>-<id>: the page shows the kind, never the id)
    "case": ("Υπόθεση", "Case"),
    "beneficiary": ("Ωφελούμενος", "Beneficiary"),
    "referral": ("Παραπομπή", "Referral"),
    "site": ("Δομή", "Site"),
    "offline_download": (
        "Λήψη για εξόρμηση κινητής μονάδας",
        "Downloaded for a mobile unit's trip",
    ),
}


def labeller(lang: str):
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0
    return lambda code: LABELS.get(code, (code, code))[index] if isinstance(code, str) else code
