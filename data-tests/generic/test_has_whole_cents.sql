{#-
    Rows whose money value has a non-zero digit after the cents ('5.005'). Staging casts to
    decimal(18,2), which rounds such a value without a trace, so the check reads the landed
    value as text: the text itself, or a typed decimal written out in full. Names table,
    column, the row's key and the offending value.
-#}
{% test has_whole_cents(model, column_name, key_column) %}

select
    '{{ model.identifier }}' as table_name,
    '{{ column_name }}' as column_name,
    {{ key_column }} as record_key,
    {{ column_name }} as offending_value
from {{ model }}
where
    {{ regexp_matches(
        'cast(' ~ column_name ~ ' as ' ~ dbt.type_string() ~ ')', '[.][0-9]{2}[0-9]*[1-9]'
    ) }}

{% endtest %}
