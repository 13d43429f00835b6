{#-
    Described in macros/_macros.yml, shown on the docs site; the design is in
    docs/staging.md#landing-the-raw-tables, the reasons in DECISIONLOG.md D3.
-#}
{% macro land_demo_csvs(replace=false) %}
    {%- if not execute or not patreon_analytics.demo_landing_enabled(replace) -%}
        {{ return('') }}
    {%- endif -%}
    {%- if patreon_analytics.selected_demo_seeds() -%}
        {{ log('Demo landing: skipped, the demo seeds selected in this command land the raw'
            ~ ' tables.', info=true) }}
        {{ return('') }}
    {%- endif -%}

    {%- set tables = patreon_analytics.raw_tables() -%}
    {%- set schema_relation = api.Relation.create(
        database=tables[0].database, schema=tables[0].schema
    ) -%}
    {%- do adapter.create_schema(schema_relation) -%}
    {%- set csv_dir = patreon_analytics.demo_csv_dir() -%}
    {%- set csvs = patreon_analytics.demo_csv_fingerprints(csv_dir) -%}
    {%- set landed = patreon_analytics.demo_landed_fingerprints(schema_relation) -%}

    {%- for table in tables -%}
        {%- set name = table.identifier -%}
        {%- set csv_path = csv_dir ~ '/' ~ name ~ '.csv' -%}
        {%- set csv_md5 = csvs.get(name) -%}
        {%- set landed_md5 = landed.get(name) -%}
        {%- if csv_md5 is none -%}
            {%- if landed_md5 is none -%}
                {{ exceptions.raise_compiler_error(
                    'Raw table ' ~ table ~ ' is missing and ' ~ csv_path ~ ' does not exist: '
                    ~ 'generate the demo data (make seeds) or land the table by other means '
                    ~ "(then run dbt with --vars '{land_demo_csvs: false}').") }}
            {%- endif -%}
        {%- elif replace or landed_md5 is none or (landed_md5 and landed_md5 != csv_md5) -%}
            {%- do patreon_analytics.land_demo_csv(table, csv_path, csv_md5) -%}
            {{ log('Demo landing: ' ~ csv_path ~ ' -> ' ~ table, info=true) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}


{% macro demo_landing_enabled(replace=false) %}
    {%- set requested = var('land_demo_csvs', none) -%}
    {%- set enabled = replace or (
        (target.type != 'databricks') if requested is none
        else (requested | string | lower == 'true')
    ) -%}
    {%- if enabled and target.type == 'databricks' -%}
        {{ exceptions.raise_compiler_error(
            'The demo landing reads the CSVs on this machine, which a Databricks SQL warehouse '
            ~ "cannot: load the demo with dbt seed --vars '{load_demo_seeds: true}',"
            ~ ' then dbt build.') }}
    {%- endif -%}
    {{ return(enabled) }}
{% endmacro %}


{% macro selected_demo_seeds() %}
    {%- set prefix = 'seed.' ~ project_name ~ '.' -%}
    {%- set seeds = [] -%}
    {%- for unique_id in (selected_resources if selected_resources is defined else [])
        if unique_id.startswith(prefix) -%}
        {%- do seeds.append(unique_id) -%}
    {%- endfor -%}
    {{ return(seeds) }}
{% endmacro %}


{% macro raw_tables() %}
    {%- set tables = [] -%}
    {%- for node in graph.sources.values()
        if node.package_name == project_name and node.source_name == 'raw' -%}
        {%- do tables.append(api.Relation.create(
            database=node.database, schema=node.schema, identifier=node.identifier
        )) -%}
    {%- endfor -%}
    {{ return(tables) }}
{% endmacro %}


{% macro demo_csv_dir() %}
    {%- set project_dir = invocation_args_dict.get('project_dir') or '.' -%}
    {{ return(project_dir.rstrip('/') ~ '/seeds') }}
{% endmacro %}


{% macro sql_string_literal(value) %}
    {{ return(adapter.dispatch('sql_string_literal', 'patreon_analytics')(value)) }}
{% endmacro %}

{% macro default__sql_string_literal(value) %}
    {{ return("'" ~ (value | string).replace("'", "''") ~ "'") }}
{% endmacro %}

{% macro spark__sql_string_literal(value) %}
    {{ return("'" ~ (value | string).replace('\\', '\\\\').replace("'", "\\'") ~ "'") }}
{% endmacro %}


{% macro demo_marker_key() %}{{ return('patreon_demo_csv_md5') }}{% endmacro %}


{% macro demo_csv_fingerprints(csv_dir) %}
    {{ return(adapter.dispatch('demo_csv_fingerprints', 'patreon_analytics')(csv_dir)) }}
{% endmacro %}

{% macro default__demo_csv_fingerprints(csv_dir) %}
    {{ exceptions.raise_compiler_error(
        'The demo landing supports DuckDB and Spark, not ' ~ target.type) }}
{% endmacro %}

{% macro duckdb__demo_csv_fingerprints(csv_dir) %}
    {%- set pattern = patreon_analytics.sql_string_literal(csv_dir ~ '/*.csv') -%}
    {%- set found_query = 'select count(*) from glob(' ~ pattern ~ ')' -%}
    {%- set found = run_query(found_query).columns[0].values()[0] -%}
    {%- if found == 0 -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set md5_query = 'select filename, md5(content) from read_blob(' ~ pattern ~ ')' -%}
    {%- set rows = run_query(md5_query).rows -%}
    {{ return(patreon_analytics.fingerprints_by_table(rows)) }}
{% endmacro %}

{% macro spark__demo_csv_fingerprints(csv_dir) %}
    {%- set rows = run_query(
        'select path, md5(content) from binaryFile.`' ~ csv_dir ~ '`'
    ).rows -%}
    {{ return(patreon_analytics.fingerprints_by_table(rows)) }}
{% endmacro %}

{% macro fingerprints_by_table(rows) %}
    {%- set fingerprints = {} -%}
    {%- for path, md5 in rows if path.endswith('.csv') -%}
        {%- do fingerprints.update({path.split('/')[-1][:-4]: md5}) -%}
    {%- endfor -%}
    {{ return(fingerprints) }}
{% endmacro %}


{% macro demo_landed_fingerprints(schema_relation) %}
    {{ return(adapter.dispatch('demo_landed_fingerprints', 'patreon_analytics')(schema_relation)) }}
{% endmacro %}

{% macro duckdb__demo_landed_fingerprints(schema_relation) %}
    {%- set rows = run_query(
        'select table_name, comment from duckdb_tables() where database_name = '
        ~ patreon_analytics.sql_string_literal(schema_relation.database)
        ~ ' and schema_name = ' ~ patreon_analytics.sql_string_literal(schema_relation.schema)
    ).rows -%}
    {{ return(patreon_analytics.markers_by_table(rows)) }}
{% endmacro %}

{% macro spark__demo_landed_fingerprints(schema_relation) %}
    {%- set rows = [] -%}
    {%- for row in run_query('show table extended in ' ~ schema_relation.schema ~ " like '*'")
        if not row[2] -%}
        {%- do rows.append((row[1], row[3])) -%}
    {%- endfor -%}
    {{ return(patreon_analytics.markers_by_table(rows)) }}
{% endmacro %}

{% macro markers_by_table(rows) %}
    {%- set markers = {} -%}
    {%- for table_name, text in rows -%}
        {%- set found = modules.re.search(
            patreon_analytics.demo_marker_key() ~ '=([0-9a-f]{32})', text or ''
        ) -%}
        {%- do markers.update({table_name | lower: found.group(1) if found else ''}) -%}
    {%- endfor -%}
    {{ return(markers) }}
{% endmacro %}


{#- DuckDB's sniffer is off because it guesses: it once took a malformed line for the header
    and read nothing. The old table stays until the new one is complete (create or replace). -#}
{% macro land_demo_csv(relation, csv_path, csv_md5) %}
    {%- set land = adapter.dispatch('land_demo_csv', 'patreon_analytics') -%}
    {{ return(land(relation, csv_path, csv_md5)) }}
{% endmacro %}

{% macro duckdb__land_demo_csv(relation, csv_path, csv_md5) %}
    {%- set path = patreon_analytics.sql_string_literal(csv_path) -%}
    {%- set header_lines = run_query(
        'select rtrim(line, chr(13)) from read_csv(' ~ path ~ ", header = false,"
        ~ " auto_detect = false, columns = {'line': 'VARCHAR'}, delim = chr(31), quote = '',"
        ~ " escape = '', strict_mode = false) limit 1"
    ).columns[0].values() -%}
    {%- if not header_lines -%}
        {{ exceptions.raise_compiler_error(csv_path ~ ' is empty: it has no header line.') }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for name in header_lines[0].split(',') -%}
        {%- do columns.append(
            patreon_analytics.sql_string_literal(name.strip().strip('"')) ~ ": 'VARCHAR'"
        ) -%}
    {%- endfor -%}
    {%- call statement('land_demo_csv', auto_begin=false) -%}
        begin transaction;
        create or replace table {{ relation }} as
        select *
        from read_csv(
            {{ path }},
            header = true,
            auto_detect = false,
            columns = { {{ columns | join(', ') }} },
            delim = ',',
            quote = '"',
            escape = '"',
            strict_mode = true,
            null_padding = false
        );
        comment on table {{ relation }} is
            '{{ patreon_analytics.demo_marker_key() }}={{ csv_md5 }}';
        commit
    {%- endcall -%}
{% endmacro %}


{% macro spark__land_demo_csv(relation, csv_path, csv_md5) %}
    {%- set csv_view = 'demo_csv__' ~ relation.identifier -%}
    {%- call statement('demo_csv_view', auto_begin=false) -%}
        create or replace temporary view {{ csv_view }}
        using csv
        options (
            path {{ patreon_analytics.sql_string_literal(csv_path) }},
            header 'true',
            inferSchema 'false',
            mode 'FAILFAST',
            multiLine 'true',
            quote '"',
            escape '"',
            encoding 'UTF-8'
        )
    {%- endcall -%}
    {#- Parse every line first (FAILFAST), so a malformed file never drops the old table. -#}
    {%- do run_query('select count(*) from ' ~ csv_view) -%}
    {%- call statement('demo_csv_drop', auto_begin=false) -%}
        drop table if exists {{ relation }}
    {%- endcall -%}
    {%- call statement('land_demo_csv', auto_begin=false) -%}
        create table {{ relation }}
        using parquet
        tblproperties ('{{ patreon_analytics.demo_marker_key() }}' = '{{ csv_md5 }}')
        as select * from {{ csv_view }}
    {%- endcall -%}
    {%- call statement('demo_csv_view_drop', auto_begin=false) -%}
        drop view if exists {{ csv_view }}
    {%- endcall -%}
{% endmacro %}


{% macro refuse_demo_seeds_in_build() %}
    {%- if execute and flags.WHICH == 'build' and patreon_analytics.selected_demo_seeds() -%}
        {{ exceptions.raise_compiler_error(
            'dbt build selected the demo seeds (var load_demo_seeds): they would be written '
            ~ 'while the source checks and staging read analytics_raw. Load them first, '
            ~ "on their own: dbt seed --vars '{load_demo_seeds: true}', then dbt build.") }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
