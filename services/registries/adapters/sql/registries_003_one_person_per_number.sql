-- AFM and ΠΑΑΥΠΑ identify one person each, as AMKA does.
CREATE UNIQUE INDEX identity_index_one_per_afm ON identity_index (digest) WHERE kind = 'afm';
CREATE UNIQUE INDEX identity_index_one_per_paaypa ON identity_index (digest) WHERE kind = 'paaypa';
