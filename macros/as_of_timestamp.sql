{#-
    The one reference instant behind every time-relative staging field (account ages,
    durations, "currently active" flags). With var `as_of_date` set (YYYY-MM-DD) it is the
    last second of that day, so everything that happened on the as-of date counts as past;
    otherwise it is the current timestamp, and such fields move from run to run.
-#}
{% macro as_of_timestamp() -%}
    {%- set as_of_date = var('as_of_date', none) -%}
    {%- if as_of_date -%}
        {%- set as_of_text = as_of_date | string | trim -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', as_of_text) -%}
            {{ exceptions.raise_compiler_error(
                "var as_of_date must be a date 'YYYY-MM-DD', got '" ~ as_of_text ~ "'") }}
        {%- endif -%}
        cast('{{ as_of_text }} 23:59:59' as {{ dbt.type_timestamp() }})
    {%- else -%}
        cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}


{#-
    The last month of the mart's spine, as a one-row query with column month_start_date: the
    month of var `as_of_date` when set, else the month of the latest transaction in
    `transactions` (a relation or CTE name) at or before the reference instant. A transaction
    dated after that instant (clock skew upstream) cannot move the as-of month into the
    future; assert_timestamps_not_after_reference_instant names it. One definition for the
    mart and its tests.
-#}
{% macro as_of_month_query(transactions) -%}
    {%- if var('as_of_date', none) %}
    select {{ month_start(as_of_timestamp()) }} as month_start_date
    {%- else %}
    select {{ month_start('max(' ~ transactions ~ '.transaction_at)') }} as month_start_date
    from {{ transactions }}
    where {{ transactions }}.transaction_at <= {{ as_of_timestamp() }}
    {%- endif %}
{%- endmacro %}
