{#-
    Rows whose raw value is present but does not cast to `data_type` (timestamp, money,
    boolean, int). Staging casts with try_cast, which turns such a text into NULL; this test
    names it instead: table, column, the row's key and the offending value. A boolean must be
    written `true` or `false`: engines differ on other spellings (DuckDB and Spark read 'yes'
    and 't' as true). On a typed column the cast is a no-op and only a value out of the
    type's range (a decimal too large for money) is reported.
-#}
{% test is_castable(model, column_name, data_type, key_column) %}
    {%- set target_types = {
        'timestamp': dbt.type_timestamp(),
        'money': money_type(),
        'boolean': dbt.type_boolean(),
        'int': dbt.type_int(),
    } -%}
    {%- if data_type not in target_types -%}
        {{ exceptions.raise_compiler_error(
            "is_castable: data_type must be one of " ~ (target_types.keys() | list)
            ~ ", got '" ~ data_type ~ "'") }}
    {%- endif %}

select
    '{{ model.identifier }}' as table_name,
    '{{ column_name }}' as column_name,
    '{{ data_type }}' as expected_type,
    {{ key_column }} as record_key,
    {{ column_name }} as offending_value
from {{ model }}
where
    {{ column_name }} is not null
    {%- if data_type == 'boolean' %}
    and lower(cast({{ column_name }} as {{ dbt.type_string() }})) not in ('true', 'false')
    {%- else %}
    and {{ dbt.safe_cast(column_name, target_types[data_type]) }} is null
    {%- endif %}

{% endtest %}
