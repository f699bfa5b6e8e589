-- English names for the columns that mixed languages (issue 16: English identifiers and schema; Bahasa
-- Indonesia stays in templates, URLs and messages). The tindak lanjut entries of a LAPOR! ticket:
-- tanggal -> responded_at (when the agency or admin answered, UTC), oleh -> responder (who answered),
-- isi -> response_text (what they wrote). Rows keep their values; the primary key is unchanged.
-- Kept on purpose: the LAPOR! report fields of `drafts` (judul, isi, kategori, lokasi, klasifikasi, rahasia,
-- anonim) and `lapor_submissions.transaksi_id` are SP4N-LAPOR!'s own field names (the mapping's vocabulary,
-- docs/lapor.md), and kecamatan/desa are the Kemendagri region levels: domain terms, not mixed naming.
ALTER TABLE lapor_followups RENAME COLUMN tanggal TO responded_at;
ALTER TABLE lapor_followups RENAME COLUMN oleh TO responder;
ALTER TABLE lapor_followups RENAME COLUMN isi TO response_text;
