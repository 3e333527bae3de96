-- Issue 13: the timeline keeps no free text beside a beneficiary id. The fields typed freely in the
-- events it holds today (adapters/timeline.py: free_text, from the contracts): reasons (merges,
-- erasure, rejections, withdrawals, stopped sharing), a consent's purpose, a recipient's name.
UPDATE timeline SET data = data - 'reason' - 'purpose' - 'recipient_name';
