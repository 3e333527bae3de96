-- One AMKA, one beneficiary, even when two centres register the same person at the same moment.
CREATE UNIQUE INDEX identity_index_one_per_amka ON identity_index (digest) WHERE kind = 'amka';
