{#-
    Rows whose raw money text has a non-zero digit after the cents ('5.005'). Staging casts to
    decimal(18,2), which rounds such a value without a trace, so the check reads the text
    before the cast. Names table, column, the row's key and the offending value.
-#}
{% test has_whole_cents(model, column_name, key_column) %}

select
    '{{ model.identifier }}' as table_name,
    '{{ column_name }}' as column_name,
    {{ key_column }} as record_key,
    {{ column_name }} as offending_value
from {{ model }}
where {{ regexp_matches(column_name, '[.][0-9]{2}[0-9]*[1-9]') }}

{% endtest %}
