"""Event type names, the routing keys on the bus: defined here once, imported by producers,
consumers and deciders alike (this module imports nothing, so domain code may use it)."""

# registries
BENEFICIARY_REGISTERED = "BeneficiaryRegistered"
PERSONAL_DATA_ERASED = "PersonalDataErased"

# intake
CONTACT_RECORDED = "ContactRecorded"
CONSENT_RECORDED = "ConsentRecorded"
CONSENT_WITHDRAWN = "ConsentWithdrawn"
SERVICE_DELIVERED = "ServiceDelivered"
CASE_CLOSED = "CaseClosed"
CASE_REOPENED = "CaseReopened"
CASE_TRANSFERRED = "CaseTransferred"
NEEDS_ASSESSED = "NeedsAssessed"
ACTION_PLAN_OPENED = "ActionPlanOpened"
ACTION_STEP_ADDED = "ActionStepAdded"
ACTION_STEP_DONE = "ActionStepDone"
ACTION_PLAN_CLOSED = "ActionPlanClosed"
FOLLOW_UP_RECORDED = "FollowUpRecorded"

# registries: the network (centres, mobile units, staff)
CENTRE_REGISTERED = "CentreRegistered"
MOBILE_UNIT_REGISTERED = "MobileUnitRegistered"
PARTNER_MUNICIPALITIES_CHANGED = "PartnerMunicipalitiesChanged"
STAFF_MEMBER_ASSIGNED = "StaffMemberAssigned"
STAFF_MEMBER_LEFT = "StaffMemberLeft"

# registries: beneficiaries recorded twice
BENEFICIARY_MERGED = "BeneficiaryMerged"
BENEFICIARY_UNMERGED = "BeneficiaryUnmerged"
# a case worker asks, the head of centre approves (the merge follows) or declines
MERGE_REQUESTED = "MergeRequested"
MERGE_REQUEST_APPROVED = "MergeRequestApproved"
MERGE_REQUEST_DECLINED = "MergeRequestDeclined"

# registries: agencies (Φορείς) and programmes
AGENCY_REGISTERED = "AgencyRegistered"
AGENCY_DETAILS_CHANGED = "AgencyDetailsChanged"
PROGRAMME_REGISTERED = "ProgrammeRegistered"
PROGRAMME_DETAILS_CHANGED = "ProgrammeDetailsChanged"

# referrals
REFERRAL_REQUESTED = "ReferralRequested"
REFERRAL_SENT = "ReferralSent"
REFERRAL_RECEIVED = "ReferralReceived"
REFERRAL_ACCEPTED = "ReferralAccepted"
REFERRAL_REJECTED = "ReferralRejected"
REFERRAL_COMPLETED = "ReferralCompleted"
REFERRAL_WITHDRAWN = "ReferralWithdrawn"
REFERRAL_EXPIRED = "ReferralExpired"
REFERRAL_SHARING_STOPPED = "ReferralSharingStopped"

# portal gateway: the audit of reads and of failed logins
RECORD_VIEWED = "RecordViewed"
LOGIN_FAILED = "LoginFailed"
EMERGENCY_ACCESS_GRANTED = "EmergencyAccessGranted"
EMERGENCY_ACCESS_REVIEWED = "EmergencyAccessReviewed"

# reporting (its own store: the releases of figures that leave a centre)
RELEASE_PUBLISHED = "ReleasePublished"
