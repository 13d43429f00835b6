-- Country codes are ISO 3166-1 alpha-2: two upper-case letters ('DE', not 'de' or 'Germany').
-- Checks the shape only; which codes exist is the generator's (and the source system's) list.
-- Returns the table, the row key and the offending code.
{%- set country_columns = [
    ('stg_creators', 'creator_id'),
    ('stg_patrons', 'patron_id'),
] %}

{% for model_name, key_column in country_columns %}
select
    '{{ model_name }}' as table_name,
    {{ key_column }} as record_key,
    country_code
from {{ ref(model_name) }}
where
    country_code is not null
    and (
        length(country_code) <> 2
        or upper(country_code) <> country_code
        or lower(country_code) = country_code
    )
{% if not loop.last %}union all{% endif %}
{% endfor %}
