-- Where the latest erasure stands in the store, for the erasure-backlog alert: a read model whose
-- registries position is below it still holds the erased person's rows. Erasures are few, so the
-- partial index is a handful of entries and the scrape's max() reads one of them.
CREATE INDEX events_erasures ON events (position) WHERE type = 'PersonalDataErased';
