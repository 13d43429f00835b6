{#-
    Unity Catalog metric views written from the semantic layer's own definitions: the
    semantic models and metrics of models/semantic/*.yml, read from the graph at compile
    time, so a KPI is defined once and MetricFlow and Databricks read the same definition
    (docs/semantic-layer.md#metric-views). A model under models/metric_views/ (materialized
    `metric_view`, Databricks only) calls metric_view_yaml() with the semantic model's name
    and the refs it reads, so dbt knows the lineage; the refs are checked against the
    semantic layer, never used to redefine it.
-#}

{% macro metric_view_yaml(semantic_model_name, source, joins={}) -%}
    {#- The YAML body of the metric view of one semantic model: its source, one join per
        entity in `joins` (entity name -> ref of the model where the entity is primary),
        dimensions (its own, the joined models' as `<entity>__<name>`, and its time
        dimension at every grain as `metric_time__<grain>`) and one measure per metric whose
        inputs are all in this semantic model. Anything that cannot be said the same way in
        a metric view stops the compile instead of turning into a different number. -#}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set semantic_model = _metric_view_semantic_model(semantic_model_name) -%}
    {%- do _metric_view_check_relation(semantic_model, source) -%}
    {%- set time_dimension = _metric_view_time_dimension(semantic_model) -%}
    {%- set view = {
        'version': '1.1',
        'comment': _metric_view_text(semantic_model.description),
        'source': _metric_view_relation_name(source),
    } -%}
    {%- set dimensions = _metric_view_time_dimensions(time_dimension) -%}
    {%- for dimension in semantic_model.dimensions if dimension.type == 'categorical' -%}
        {%- do dimensions.append(_metric_view_item(
            dimension.name, dimension.expr or dimension.name, dimension.description)) -%}
    {%- endfor -%}
    {%- set join_list = [] -%}
    {%- for entity_name, relation in joins.items() -%}
        {%- set join = _metric_view_join(semantic_model, entity_name, relation) -%}
        {%- do join_list.append(join.join) -%}
        {%- do dimensions.extend(join.dimensions) -%}
    {%- endfor -%}
    {%- if join_list -%}
        {%- do view.update({'joins': join_list}) -%}
    {%- endif -%}
    {%- do view.update({'dimensions': dimensions}) -%}
    {%- set measures = _metric_view_measures(semantic_model, time_dimension) -%}
    {%- do view.update({'measures': measures.measures}) -%}
    {%- set header -%}
# Generated at compile time from the semantic model `{{ semantic_model.name }}` and its
# metrics (models/semantic/): edit them, not this view. Metrics of this semantic model that
# only MetricFlow answers: {{ measures.skipped | join(', ') or 'none' }}.
    {%- endset -%}
    {{ return(header ~ '\n' ~ toyaml(view)) }}
{%- endmacro %}


{% macro _metric_view_semantic_model(name) -%}
    {%- for semantic_model in graph.semantic_models.values() if semantic_model.name == name -%}
        {{ return(semantic_model) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("metric view: no semantic model named " ~ name) }}
{%- endmacro %}


{% macro _metric_view_relation_name(relation) -%}
    {{ return(relation.database ~ '.' ~ relation.schema ~ '.' ~ relation.identifier) }}
{%- endmacro %}


{% macro _metric_view_check_relation(semantic_model, relation) -%}
    {#- The ref a metric view model passes must be the model the semantic model reads. -#}
    {%- set expected = semantic_model.node_relation -%}
    {%- if (expected.database, expected.schema_name, expected.alias)
            != (relation.database, relation.schema, relation.identifier) -%}
        {{ exceptions.raise_compiler_error(
            "metric view of " ~ semantic_model.name ~ ": passed "
            ~ _metric_view_relation_name(relation) ~ ", but the semantic model reads "
            ~ expected.database ~ '.' ~ expected.schema_name ~ '.' ~ expected.alias) }}
    {%- endif -%}
{%- endmacro %}


{% macro _metric_view_text(text) -%}
    {#- Descriptions are Markdown over several lines; a comment is one line of text. -#}
    {{ return((text or '') | replace('\n', ' ') | trim) }}
{%- endmacro %}


{% macro _metric_view_item(name, expr, description=none, label=none) -%}
    {%- set item = {'name': name, 'expr': expr} -%}
    {%- if description -%}
        {%- do item.update({'comment': _metric_view_text(description)}) -%}
    {%- endif -%}
    {%- if label -%}
        {%- do item.update({'display_name': label}) -%}
    {%- endif -%}
    {{ return(item) }}
{%- endmacro %}


{% macro _metric_view_is_column(expr) -%}
    {{ return(modules.re.fullmatch('[a-z_][a-z0-9_]*', expr or '') is not none) }}
{%- endmacro %}


{% macro _metric_view_time_dimension(semantic_model) -%}
    {%- set name = semantic_model.defaults.agg_time_dimension -%}
    {%- for dimension in semantic_model.dimensions if dimension.name == name -%}
        {{ return(dimension) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        "metric view of " ~ semantic_model.name ~ ": no time dimension " ~ name) }}
{%- endmacro %}


{% macro _metric_view_grains(time_dimension) -%}
    {%- set grains = ['day', 'week', 'month', 'quarter', 'year'] -%}
    {%- set granularity = time_dimension.type_params.time_granularity -%}
    {{ return(grains[grains.index(granularity):]) }}
{%- endmacro %}


{% macro _metric_view_time_dimensions(time_dimension) -%}
    {#- MetricFlow's metric_time at every grain from the dimension's own up. -#}
    {%- set expr = time_dimension.expr or time_dimension.name -%}
    {%- set granularity = time_dimension.type_params.time_granularity -%}
    {%- set dimensions = [] -%}
    {%- for grain in _metric_view_grains(time_dimension) -%}
        {%- set grain_expr = expr if grain == granularity
            else "DATE_TRUNC('" ~ grain | upper ~ "', " ~ expr ~ ")" -%}
        {%- do dimensions.append(_metric_view_item(
            'metric_time__' ~ grain, grain_expr,
            'The ' ~ grain ~ ' of ' ~ time_dimension.name ~ '. '
            ~ _metric_view_text(time_dimension.description))) -%}
    {%- endfor -%}
    {{ return(dimensions) }}
{%- endmacro %}


{% macro _metric_view_join(semantic_model, entity_name, relation) -%}
    {#- A many-to-one join on an entity that is foreign here and primary in another
        semantic model, both sides plain columns; its categorical dimensions come along. -#}
    {%- set foreign = [] -%}
    {%- for entity in semantic_model.entities
            if entity.name == entity_name and entity.type == 'foreign' -%}
        {%- do foreign.append(entity.expr or entity.name) -%}
    {%- endfor -%}
    {%- set target = [] -%}
    {%- for other in graph.semantic_models.values() -%}
        {%- for entity in other.entities
                if entity.name == entity_name and entity.type == 'primary' -%}
            {%- do target.append({'model': other, 'expr': entity.expr or entity.name}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if foreign | length != 1 or target | length != 1
            or not _metric_view_is_column(foreign[0])
            or not _metric_view_is_column(target[0].expr) -%}
        {{ exceptions.raise_compiler_error(
            "metric view of " ~ semantic_model.name ~ ": cannot join on entity "
            ~ entity_name ~ " (foreign here and primary elsewhere, on plain columns)") }}
    {%- endif -%}
    {%- set other = target[0].model -%}
    {%- do _metric_view_check_relation(other, relation) -%}
    {%- set dimensions = [] -%}
    {%- for dimension in other.dimensions if dimension.type == 'categorical' -%}
        {%- set expr = dimension.expr or dimension.name -%}
        {%- if not _metric_view_is_column(expr) -%}
            {{ exceptions.raise_compiler_error(
                "metric view: joined dimension " ~ dimension.name ~ " is not a column") }}
        {%- endif -%}
        {%- do dimensions.append(_metric_view_item(
            entity_name ~ '__' ~ dimension.name, entity_name ~ '.' ~ expr,
            dimension.description)) -%}
    {%- endfor -%}
    {%- set join = {'name': entity_name, 'source': _metric_view_relation_name(relation)} -%}
    {#- The same column on both sides: `using`, so the column stays one, unambiguous. -#}
    {%- if foreign[0] == target[0].expr -%}
        {%- do join.update({'using': [foreign[0]]}) -%}
    {%- else -%}
        {%- do join.update({
            'on': 'source.' ~ foreign[0] ~ ' = ' ~ entity_name ~ '.' ~ target[0].expr}) -%}
    {%- endif -%}
    {{ return({'join': join, 'dimensions': dimensions}) }}
{%- endmacro %}


{% macro _metric_view_aggregate(measure) -%}
    {#- A measure's aggregation as MetricFlow renders it. -#}
    {%- set expr = measure.expr or measure.name -%}
    {%- set templates = {
        'sum': 'SUM(%s)',
        'sum_boolean': 'SUM(CASE WHEN %s THEN 1 ELSE 0 END)',
        'count': 'COUNT(%s)',
        'count_distinct': 'COUNT(DISTINCT %s)',
        'min': 'MIN(%s)',
        'max': 'MAX(%s)',
        'average': 'AVG(%s)',
    } -%}
    {%- if measure.agg not in templates or measure.agg_params -%}
        {{ exceptions.raise_compiler_error(
            "metric view: measure " ~ measure.name ~ " aggregates with " ~ measure.agg) }}
    {%- endif -%}
    {{ return(templates[measure.agg] | format(expr)) }}
{%- endmacro %}


{% macro _metric_view_simple_measure(metric, measure, time_dimension) -%}
    {%- set input = metric.type_params.measure -%}
    {%- if metric.filter or input.filter or input.join_to_timespine -%}
        {{ exceptions.raise_compiler_error(
            "metric view: metric " ~ metric.name ~ " has a filter or joins the time spine") }}
    {%- endif -%}
    {%- set expr = _metric_view_aggregate(measure) -%}
    {%- if input.fill_nulls_with is not none -%}
        {%- set expr = 'COALESCE(' ~ expr ~ ', ' ~ input.fill_nulls_with ~ ')' -%}
    {%- endif -%}
    {%- set item = _metric_view_item(metric.name, expr, metric.description, metric.label) -%}
    {#- A month-end stock: the period's last (or first) month, never a sum over months. -#}
    {%- set non_additive = measure.non_additive_dimension -%}
    {%- if non_additive -%}
        {%- if non_additive.name != time_dimension.name or non_additive.window_groupings -%}
            {{ exceptions.raise_compiler_error(
                "metric view: measure " ~ measure.name ~ " is non-additive along "
                ~ non_additive.name ~ ", not along the time dimension alone") }}
        {%- endif -%}
        {%- do item.update({'window': [{
            'order': 'metric_time__' ~ time_dimension.type_params.time_granularity,
            'range': 'current',
            'semiadditive': 'last' if non_additive.window_choice == 'max' else 'first',
        }]}) -%}
    {%- endif -%}
    {{ return(item) }}
{%- endmacro %}


{% macro _metric_view_derived_measure(metric) -%}
    {#- A derived metric whose inputs are measures of this view: each input becomes
        MEASURE(<input>), in two passes so that a name inside another cannot be replaced
        twice. -#}
    {%- set state = namespace(expr=metric.type_params.expr) -%}
    {%- for input in metric.type_params.metrics -%}
        {%- set state.expr = modules.re.sub(
            '(?<![a-z0-9_])' ~ (input.alias or input.name) ~ '(?![a-z0-9_])',
            '@@' ~ loop.index0 ~ '@@', state.expr) -%}
    {%- endfor -%}
    {%- for input in metric.type_params.metrics -%}
        {%- set state.expr = state.expr
            | replace('@@' ~ loop.index0 ~ '@@', 'MEASURE(' ~ input.name ~ ')') -%}
    {%- endfor -%}
    {%- set expr = state.expr -%}
    {{ return(_metric_view_item(
        metric.name, expr | replace('\n', ' ') | trim, metric.description, metric.label)) }}
{%- endmacro %}


{% macro _metric_view_measures(semantic_model, time_dimension) -%}
    {#- One measure per simple metric on this semantic model's measures, then one per
        derived metric whose inputs are all among them (no offsets, no filters). The
        rest are named as MetricFlow-only. -#}
    {%- set measures_by_name = {} -%}
    {%- for measure in semantic_model.measures -%}
        {%- do measures_by_name.update({measure.name: measure}) -%}
    {%- endfor -%}
    {%- set metrics = graph.metrics.values() | sort(attribute='name') -%}
    {%- set result = {'measures': [], 'skipped': []} -%}
    {%- set names = [] -%}
    {%- for metric in metrics if metric.type == 'simple'
            and metric.type_params.measure.name in measures_by_name -%}
        {%- do result.measures.append(_metric_view_simple_measure(
            metric, measures_by_name[metric.type_params.measure.name], time_dimension)) -%}
        {%- do names.append(metric.name) -%}
    {%- endfor -%}
    {%- for metric in metrics if metric.type != 'simple' -%}
        {%- set inputs = metric.type_params.input_measures | map(attribute='name') | list -%}
        {%- set here = inputs | select('in', measures_by_name) | list -%}
        {%- if here -%}
            {%- set blockers = [] -%}
            {%- if metric.type != 'derived' or metric.filter
                    or here | length != inputs | length -%}
                {%- do blockers.append(metric.name) -%}
            {%- endif -%}
            {%- for input in metric.type_params.metrics -%}
                {%- if input.name not in names or input.offset_window
                        or input.offset_to_grain or input.filter -%}
                    {%- do blockers.append(input.name) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- if not blockers -%}
                {%- do result.measures.append(_metric_view_derived_measure(metric)) -%}
            {%- else -%}
                {%- do result.skipped.append(metric.name) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(result) }}
{%- endmacro %}
