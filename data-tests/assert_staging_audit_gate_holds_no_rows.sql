-- The fail-closed gate is a signal, not data: it must never return a row (every branch of
-- its union is `where 1 = 0`). A row here would mean the gate started carrying data that
-- no model is meant to read. Returns the rows, naming the staging view they came from.
select staging_audit_gate.audited_model_name
from {{ ref('staging_audit_gate') }} as staging_audit_gate
