/*
 * 办公室工作台 (/office): the office's page. Plain script, no build step, no framework: it asks
 * /graphql and /api/* with the session cookie and the CSRF header, and builds the views with DOM
 * calls. Text from the hub is only ever set as text (textContent), never parsed as HTML, so a
 * reason, a file name or a region code typed by anyone shows as what it is.
 */
'use strict';
(function () {
  var app = document.getElementById('app');
  if (!app) return;
  var ctx = {
    role: app.getAttribute('data-role'),
    region: app.getAttribute('data-region'),
    city: app.getAttribute('data-city'),
    today: app.getAttribute('data-today'),
  };
  // what the hub offers: filled at start from the schema and the export routes
  var caps = { coverage: {}, query: {}, types: {}, exports: {}, permissions: {} };
  var rules = {};
  var programmes = [];
  var charts = [];

  var CATEGORIES = [
    ['DIBAO', '低保'], ['TEKUN', '特困'], ['TEMPORARY', '临时救助'], ['DISABLED', '残疾人'],
    ['CHILD_IN_DIFFICULTY', '困境儿童'], ['LEFT_BEHIND', '三留守'], ['REGISTERED_POOR', '建档立卡贫困'],
    ['LOW_INCOME', '低收入家庭'], ['VAGRANT', '流浪乞讨'],
  ];
  var CATEGORY_NAMES = {};
  CATEGORIES.forEach(function (c) { CATEGORY_NAMES[c[0]] = c[1]; });
  var KINDS = { DUAL_BENEFIT: '重复救助', GAP: '应保未保', COMPLIANCE: '合规' };
  // the words of the XLSX exports (src/server/exports), so the page and the files say the same
  var STATUSES = { OPEN: '待核查', CONFIRMED: '已确认', DISMISSED: '已排除', EXCEPTION: '特殊情形', CLEARED: '已消除' };
  var DECISIONS = { CONFIRM: '确认', DISMISS: '排除', EXCEPTION: '特殊情形' };
  var VERDICTS = { PASS: '通过', REVIEW: '需核实', LEADING_GROUP: '提请领导小组', REJECT: '不予通过' };
  var VERDICT_ORDER = ['PASS', 'REVIEW', 'LEADING_GROUP', 'REJECT'];
  var EVALUATIONS = { APPROVE: '同意', REJECT: '不同意', REFER: '转核' };
  var VERIFICATIONS = { CONFIRMED_ON_SITE: '实地核实属实', NOT_AS_FLAGGED: '经核查不属实', FIXED: '部门已更正' };
  var REASONS = {
    BAD_ID: '身份证号无效', DECEASED: '已死亡', EXCLUSIVE_PAIR: '互斥项目', ALREADY_ENROLLED: '已在册',
    SAME_KIND_THIS_YEAR: '本年度已享受同类救助', LISTED_ELSEWHERE: '已列入其他名单', DUPLICATE_ROW: '名单内重复',
    NAME_MISMATCH: '姓名不符', OUTSIDE_REGION: '不在本辖区', ASSETS: '家庭财产超标', NOT_KNOWN: '未掌握该人员信息',
  };
  var LEVELS = { CITY: '市', COUNTY: '县（市、区）', TOWN: '镇（街道）', VILLAGE: '村（社区）' };
  var CODES = { FORBIDDEN: '无权操作', BAD_USER_INPUT: '输入有误', UNAUTHENTICATED: '未登录', NOT_FOUND: '未找到' };

  // ---- DOM ---------------------------------------------------------------------------------

  /** An element; strings and numbers among the children become text nodes, never markup. */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'class') el.className = v;
        else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
        else if (k === 'value') el.value = v;
        else el.setAttribute(k, v === true ? '' : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(el, c); });
    else if (typeof child === 'string' || typeof child === 'number') el.appendChild(document.createTextNode(String(child)));
    else el.appendChild(child);
  }
  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }
  function num(n) {
    return n === null || n === undefined ? '—' : Number(n).toLocaleString('zh-CN');
  }
  function when(iso) {
    return iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—';
  }
  function change(now, before) {
    if (now === null || now === undefined || before === null || before === undefined) return '—';
    var d = now - before;
    return d > 0 ? '+' + num(d) : d < 0 ? '−' + num(-d) : '0';
  }
  function perThousand(persons, residents) {
    return persons === null || persons === undefined || !residents ? '—' : ((persons / residents) * 1000).toFixed(1);
  }
  function json(value) {
    return value === null || value === undefined ? '—' : JSON.stringify(value, null, 1);
  }
  function table(id, headers, rows) {
    return h('table', { id: id, class: 'figures' },
      h('thead', null, h('tr', null, headers.map(function (t) { return h('th', { scope: 'col' }, t); }))),
      h('tbody', null, rows));
  }
  function cell(value, attrs) {
    return h('td', attrs || null, value);
  }
  function figure(value) {
    return h('td', { class: 'n', 'data-value': value === null || value === undefined ? '' : String(value) }, num(value));
  }
  function section(title, id) {
    var body = Array.prototype.slice.call(arguments, 2);
    return h('section', { class: 'panel', id: id, 'aria-labelledby': id + '-title' }, h('h2', { id: id + '-title' }, title), body);
  }
  function notice(text, kind) {
    return h('p', { class: kind || 'notice', role: kind === 'error' ? 'alert' : null }, text);
  }
  function errorText(e) {
    if (e && e.errors) {
      return e.errors.map(function (x) {
        var code = x.extensions && x.extensions.code;
        return (CODES[code] ? CODES[code] + '：' : '') + x.message;
      }).join('；');
    }
    return '出错了：' + (e && e.message ? e.message : String(e));
  }
  function showError(where, e) {
    append(where, notice(errorText(e), 'error'));
  }
  function download(href, label) {
    return h('a', { class: 'download', href: href, download: '' }, label);
  }

  // ---- requests -----------------------------------------------------------------------------

  var HEADERS = { 'content-type': 'application/json', 'apollo-require-preflight': 'true', 'x-purpose': encodeURIComponent('办公室工作台') };

  function signedOut() {
    // the hub shows why on its sign-in page
    window.location.assign('/office');
    return new Promise(function () {});
  }

  function gql(query, variables) {
    return fetch('/graphql', { method: 'POST', credentials: 'same-origin', headers: HEADERS, body: JSON.stringify({ query: query, variables: variables || {} }) })
      .then(function (res) {
        if (res.status === 401) return signedOut();
        return res.json().then(function (body) {
          if (body.errors && body.errors.length) {
            var err = new Error(body.errors[0].message);
            err.errors = body.errors;
            err.data = body.data;
            throw err;
          }
          return body.data;
        });
      });
  }

  // ---- what the hub offers ------------------------------------------------------------------

  var TYPE_FIELDS = 'fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }';
  var START = 'query OfficeStart {\n' +
    '  viewer { role regionCode label permissions }\n' +
    '  rules { code titleZh kind }\n' +
    '  programmes { code name }\n' +
    ['Query', 'Coverage', 'Report', 'RuleStatusCount', 'ScreeningCount', 'Source', 'ReasonCount'].map(function (t) {
      return '  t' + t + ': __type(name: "' + t + '") { ' + TYPE_FIELDS + ' }\n';
    }).join('') + '}';

  function named(type) {
    while (type && (type.kind === 'NON_NULL' || type.kind === 'LIST')) type = type.ofType;
    return type || {};
  }
  /** The fields of a type whose values are scalars or enums: how a figure of a newer hub is shown. */
  function scalarFields(typeName) {
    var t = caps.types[typeName];
    return (t || []).filter(function (f) {
      var k = named(f.type).kind;
      return k === 'SCALAR' || k === 'ENUM';
    }).map(function (f) { return f.name; });
  }

  function start() {
    // the exports the hub serves, as its shell says
    (app.getAttribute('data-exports') || '').split(' ').forEach(function (x) { if (x) caps.exports[x] = true; });
    return gql(START).then(function (d) {
      caps.viewer = d.viewer;
      (d.viewer.permissions || []).forEach(function (p) { caps.permissions[p] = true; });
      d.rules.forEach(function (x) { rules[x.code] = x; });
      programmes = d.programmes;
      ['Query', 'Coverage', 'Report', 'RuleStatusCount', 'ScreeningCount', 'Source', 'ReasonCount'].forEach(function (t) {
        caps.types[t] = d['t' + t] ? d['t' + t].fields : null;
      });
      (caps.types.Query || []).forEach(function (f) { caps.query[f.name] = f; });
      (caps.types.Coverage || []).forEach(function (f) { caps.coverage[f.name] = true; });
      // a panel whose backend this hub lacks is not offered
      document.querySelectorAll('nav.tabs a').forEach(function (a) {
        var tab = a.getAttribute('data-tab');
        if ((tab === 'reports' && !caps.query.reports) || (tab === 'sources' && !caps.query.sources)) a.hidden = true;
      });
    });
  }

  // ---- routing ------------------------------------------------------------------------------

  function parseHash() {
    var raw = window.location.hash.replace(/^#/, '') || 'overview';
    var q = raw.indexOf('?');
    var path = q < 0 ? raw : raw.slice(0, q);
    var params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    var parts = path.split('/');
    return { view: parts[0], arg: parts.slice(1).map(decodeURIComponent).join('/'), params: params };
  }
  function link(view, arg, params) {
    var s = '#' + view + (arg ? '/' + encodeURIComponent(arg) : '');
    var p = new URLSearchParams();
    Object.keys(params || {}).forEach(function (k) {
      if (params[k] !== null && params[k] !== undefined && params[k] !== '') p.set(k, params[k]);
    });
    var qs = p.toString();
    return qs ? s + '?' + qs : s;
  }
  function go(view, arg, params) {
    window.location.hash = link(view, arg, params);
  }

  var VIEWS = {
    overview: overview, findings: findings, finding: finding, screenings: screenings, screening: screening,
    reports: reports, report: report, sources: sources,
  };
  var TAB_OF = { finding: 'findings', screening: 'screenings', report: 'reports' };
  var rendering = 0;

  function render() {
    var route = parseHash();
    var view = VIEWS[route.view] ? route.view : 'overview';
    var tab = TAB_OF[view] || view;
    document.querySelectorAll('nav.tabs a').forEach(function (a) {
      if (a.getAttribute('data-tab') === tab) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    clear(app);
    var ticket = ++rendering;
    var root = h('div', { class: 'view', 'data-view': view });
    app.appendChild(root);
    app.setAttribute('aria-busy', 'true');
    Promise.resolve()
      .then(function () { return VIEWS[view](root, route); })
      .catch(function (e) { if (ticket === rendering) showError(root, e); })
      .then(function () {
        if (ticket !== rendering) return;
        app.removeAttribute('aria-busy');
        // for tests and people alike: the view is complete
        app.setAttribute('data-ready', view);
      });
    app.removeAttribute('data-ready');
  }

  // ---- charts -------------------------------------------------------------------------------

  /** A bar chart drawn as SVG (its text stays text); the same figures are in the table beside it. */
  function barChart(el, labels, values, title) {
    if (!window.echarts) return;
    var chart = window.echarts.init(el, null, { renderer: 'svg', locale: 'ZH' });
    chart.setOption({
      animation: false,
      aria: { enabled: true, label: { description: title } },
      textStyle: { fontFamily: '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif' },
      title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
      grid: { left: 50, right: 16, top: 40, bottom: 70 },
      xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 5 ? 35 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: values, label: { show: true, position: 'top' }, itemStyle: { color: '#2f6db5' } }],
    });
    charts.push(chart);
  }
  function chartBox(id) {
    return h('div', { class: 'chart', id: id, role: 'img' });
  }

  // ---- overview -----------------------------------------------------------------------------

  function coverageSelection(withChildren, withOverdue) {
    var extra = (caps.coverage.name ? ' name' : '') + (caps.coverage.residents ? ' residents' : '');
    var figures = 'regionCode asOf persons' + extra + ' byCategory { category persons } openFindings { rule count }' +
      (withOverdue && caps.coverage.overdue ? ' overdue { assignedTo count }' : '');
    var previous = caps.coverage.previous ? ' previous { asOf persons byCategory { category persons } openFindings { rule count } }' : '';
    var children = withChildren ? ' children { regionCode persons' + extra + ' byCategory { category persons } openFindings { rule count }' +
      (withOverdue && caps.coverage.overdue ? ' overdue { count }' : '') + ' }' : '';
    return '{ ' + figures + previous + children + ' }';
  }

  function overview(root, route) {
    var region = route.params.get('region') || ctx.region;
    var asOf = route.params.get('asOf') || ctx.today;
    var form = h('form', { class: 'controls', id: 'overview-form' },
      h('label', null, '截至日期 ', h('input', { type: 'date', name: 'asOf', value: asOf, required: true })),
      h('label', null, ' 区划代码 ', h('input', { type: 'text', name: 'region', value: region, size: 14, inputmode: 'numeric' })),
      h('button', { type: 'submit' }, '查看'));
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      go('overview', null, { region: form.region.value.trim(), asOf: form.asOf.value });
    });
    root.appendChild(form);
    var query = 'query OfficeOverview($region: String!, $asOf: Date) {\n' +
      '  region(code: $region) { code name level parent { code name parent { code name parent { code name } } } children { code name } }\n' +
      '  coverage(regionCode: $region, asOf: $asOf) ' + coverageSelection(true, true) + '\n}';
    return gql(query, { region: region, asOf: asOf }).then(function (d) {
      return assigneeNames(d.coverage.overdue || []).then(function () { return d; });
    }).then(function (d) {
      var cov = d.coverage;
      var place = d.region;
      var names = {};
      ((place && place.children) || []).forEach(function (c) { names[c.code] = c.name; });
      var title = (cov.name || (place && place.name) || '') + '（' + cov.regionCode + '）';
      var crumbs = [];
      for (var p = place && place.parent; p; p = p.parent) crumbs.unshift(p);
      root.appendChild(h('nav', { class: 'crumbs', 'aria-label': '上级区划' },
        crumbs.map(function (c) {
          // above the token's region there is nothing it may see
          return c.code.indexOf(ctx.region) === 0 ? [h('a', { href: link('overview', null, { region: c.code, asOf: asOf }) }, c.name), ' › '] : [h('span', null, c.name), ' › '];
        }),
        h('span', { 'aria-current': 'page' }, (place && place.name) || cov.regionCode)));
      var prev = cov.previous || null;
      var head = h('section', { class: 'panel summary', id: 'summary' },
        h('h2', { id: 'region-title' }, title),
        h('p', null, (place ? (LEVELS[place.level] || place.level) + ' · ' : '') + '截至 ' + cov.asOf),
        h('p', { class: 'big' }, '覆盖人数 ', h('strong', { id: 'persons', 'data-value': String(cov.persons) }, num(cov.persons)),
          prev ? h('span', { class: 'delta' }, '（上月 ' + num(prev.persons) + '，变化 ' + change(cov.persons, prev.persons) + '）') : null),
        caps.coverage.residents
          ? h('p', null, '常住人口 ', h('span', { id: 'residents' }, num(cov.residents)), '，每千人覆盖 ', h('span', { id: 'per-thousand' }, perThousand(cov.persons, cov.residents)))
          : null,
        caps.exports.coverage ? h('p', null, download('/api/exports/coverage.xlsx?' + new URLSearchParams({ regionCode: cov.regionCode, asOf: cov.asOf }), '导出本区划及下级区划（XLSX）')) : null);
      root.appendChild(head);

      var prevCat = {};
      if (prev) prev.byCategory.forEach(function (c) { prevCat[c.category] = c.persons; });
      var catRows = cov.byCategory.map(function (c) {
        return h('tr', { 'data-key': c.category },
          h('th', { scope: 'row' }, CATEGORY_NAMES[c.category] || c.category), figure(c.persons),
          prev ? [figure(prevCat[c.category]), cell(change(c.persons, prevCat[c.category]), { class: 'n' })] : null);
      });
      root.appendChild(section('九类救助对象', 'categories',
        h('div', { class: 'pair' }, chartBox('chart-categories'),
          table('table-categories', ['类别', '人数'].concat(prev ? ['上月', '变化'] : []), catRows))));
      barChart(document.getElementById('chart-categories'), cov.byCategory.map(function (c) { return CATEGORY_NAMES[c.category] || c.category; }),
        cov.byCategory.map(function (c) { return c.persons; }), '九类救助对象人数');

      var prevRule = {};
      if (prev) prev.openFindings.forEach(function (r) { prevRule[r.rule] = r.count; });
      var ruleRows = cov.openFindings.map(function (r) {
        return h('tr', { 'data-key': r.rule },
          h('th', { scope: 'row' }, h('a', { href: link('findings', null, { rule: r.rule, status: 'OPEN', region: cov.regionCode }) }, r.rule)),
          cell(rules[r.rule] ? rules[r.rule].titleZh : ''), figure(r.count),
          prev ? [figure(prevRule[r.rule]), cell(change(r.count, prevRule[r.rule]), { class: 'n' })] : null);
      });
      root.appendChild(section('待核查疑点（按规则）', 'open-findings',
        cov.openFindings.length
          ? h('div', { class: 'pair' }, chartBox('chart-rules'), table('table-rules', ['规则', '名称', '数量'].concat(prev ? ['上月', '变化'] : []), ruleRows))
          : notice('截至该日没有待核查的疑点。')));
      if (cov.openFindings.length) {
        barChart(document.getElementById('chart-rules'), cov.openFindings.map(function (r) { return r.rule; }), cov.openFindings.map(function (r) { return r.count; }), '待核查疑点数');
      }

      if (cov.overdue) root.appendChild(overdueSection(cov));

      if (cov.children.length) {
        var childRows = cov.children.map(function (c) {
          var open = c.openFindings.reduce(function (n, r) { return n + (r.count || 0); }, 0);
          var byCat = {};
          c.byCategory.forEach(function (x) { byCat[x.category] = x.persons; });
          var name = c.name || names[c.regionCode] || c.regionCode;
          return h('tr', { 'data-key': c.regionCode },
            h('th', { scope: 'row' }, h('a', { href: link('overview', null, { region: c.regionCode, asOf: asOf }), class: 'drill' }, name)),
            cell(c.regionCode), figure(c.persons),
            caps.coverage.residents ? [figure(c.residents), cell(perThousand(c.persons, c.residents), { class: 'n' })] : null,
            figure(open),
            c.overdue ? figure(c.overdue.reduce(function (n, o) { return n + (o.count || 0); }, 0)) : null,
            CATEGORIES.map(function (k) { return figure(byCat[k[0]]); }));
        });
        var headers = ['区划', '代码', '覆盖人数'].concat(caps.coverage.residents ? ['常住人口', '每千人'] : [], ['待核查疑点'], caps.coverage.overdue ? ['逾期未反馈'] : [], CATEGORIES.map(function (k) { return k[1]; }));
        root.appendChild(section('下级区划（点击名称查看）', 'children',
          chartBox('chart-children'), h('div', { class: 'scroll' }, table('table-children', headers, childRows))));
        barChart(document.getElementById('chart-children'), cov.children.map(function (c) { return c.name || names[c.regionCode] || c.regionCode; }),
          cov.children.map(function (c) { return c.persons; }), '下级区划覆盖人数');
      }
    });
  }

  // ---- findings -----------------------------------------------------------------------------

  var FINDING_ROW = 'id rule kind status clauses periodStart periodEnd asOf person { name idNumber } household { id head { name idNumber } } region { code name }' +
    ' assignments { to dueOn note assignedBy assignedAt } verifications { result visitedOn note reportedBy reportedAt }';

  function findingFilter(params) {
    var f = {};
    if (params.get('rule')) f.rule = [params.get('rule')];
    if (params.get('kind')) f.kind = [params.get('kind')];
    if (params.get('status')) f.status = [params.get('status')];
    if (params.get('region')) f.regionCode = params.get('region');
    if (params.get('assignedTo')) f.assignedTo = params.get('assignedTo');
    if (params.get('overdue') === 'true' || params.get('overdue') === 'false') f.overdue = params.get('overdue') === 'true';
    return f;
  }

  function select(name, options, value, all) {
    return h('select', { name: name },
      all ? h('option', { value: '' }, all) : null,
      options.map(function (o) { return h('option', { value: o[0], selected: o[0] === value }, o[1]); }));
  }

  function subjectOf(f) {
    var p = f.person || (f.household && f.household.head);
    if (p) return p.name + ' ' + p.idNumber + (f.household && !f.person ? '（户主）' : '');
    return f.region ? f.region.name : '—';
  }

  function findings(root, route) {
    var params = route.params;
    // the list opens on what is waiting; 全部 is a choice made in the form
    if (!params.toString()) params.set('status', 'OPEN');
    var form = h('form', { class: 'controls', id: 'findings-form' },
      h('label', null, '规则 ', select('rule', Object.keys(rules).sort().map(function (c) { return [c, c + ' ' + rules[c].titleZh]; }), params.get('rule'), '全部')),
      h('label', null, ' 类型 ', select('kind', Object.keys(KINDS).map(function (k) { return [k, KINDS[k]]; }), params.get('kind'), '全部')),
      h('label', null, ' 状态 ', select('status', Object.keys(STATUSES).map(function (k) { return [k, STATUSES[k]]; }), params.get('status'), '全部')),
      h('label', null, ' 区划代码 ', h('input', { type: 'text', name: 'region', value: params.get('region') || '', size: 14 })),
      h('label', null, ' 承办单位 ', h('input', { type: 'text', name: 'assignedTo', value: params.get('assignedTo') || '', size: 14, list: 'assignee-list', placeholder: '部门或区划代码' })),
      h('datalist', { id: 'assignee-list' }),
      h('label', null, ' 逾期 ', select('overdue', [['true', '已逾期未反馈'], ['false', '未逾期']], params.get('overdue'), '全部')),
      h('button', { type: 'submit' }, '筛选'));
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      go('findings', null, {
        rule: form.rule.value, kind: form.kind.value, status: form.status.value, region: form.region.value.trim(),
        assignedTo: form.assignedTo.value.trim(), overdue: form.overdue.value, all: '1',
      });
    });
    root.appendChild(form);
    departments().then(function (list) {
      var options = form.querySelector('#assignee-list');
      list.forEach(function (d) { options.appendChild(h('option', { value: d.name }, d.department)); });
    });
    var filter = findingFilter(params);
    if (caps.exports.findings) {
      var qs = new URLSearchParams();
      if (filter.rule) qs.set('rule', filter.rule[0]);
      if (filter.kind) qs.set('kind', filter.kind[0]);
      if (filter.status) qs.set('status', filter.status[0]);
      if (filter.regionCode) qs.set('regionCode', filter.regionCode);
      if (filter.assignedTo) qs.set('assignedTo', filter.assignedTo);
      if (filter.overdue !== undefined) qs.set('overdue', String(filter.overdue));
      root.appendChild(h('p', null, download('/api/exports/findings.xlsx?' + qs, '导出符合条件的全部疑点（XLSX）')));
    }
    var summary = h('p', { class: 'count', id: 'findings-count' });
    var body = h('tbody');
    var more = h('button', { type: 'button', hidden: true }, '加载更多');
    root.appendChild(section('疑点', 'findings-list', summary,
      h('div', { class: 'scroll' }, h('table', { id: 'table-findings', class: 'figures' },
        h('thead', null, h('tr', null, ['编号', '规则', '类型', '状态', '对象', '区划', '期间', '条款', '承办单位'].map(function (t) { return h('th', { scope: 'col' }, t); }))),
        body)), more));
    var query = 'query OfficeFindings($filter: FindingFilter, $after: String) {\n' +
      '  findings(filter: $filter, first: 50, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ' + FINDING_ROW + ' } } }\n}';
    function page(after) {
      more.disabled = true;
      return gql(query, { filter: filter, after: after }).then(function (d) {
        return assigneeNames(d.findings.edges.map(function (e) { return newestAssignment(e.node); }).filter(Boolean).map(function (a) { return { assignedTo: a.to }; }))
          .then(function () { return d; });
      }).then(function (d) {
        var c = d.findings;
        summary.textContent = '共 ' + num(c.totalCount) + ' 条';
        summary.setAttribute('data-value', String(c.totalCount));
        c.edges.forEach(function (e) {
          var f = e.node;
          body.appendChild(h('tr', { 'data-key': f.id },
            cell(h('a', { href: link('finding', f.id) }, f.id)), cell(f.rule + (rules[f.rule] ? ' ' + rules[f.rule].titleZh : '')),
            cell(KINDS[f.kind] || f.kind), cell(STATUSES[f.status] || f.status), cell(subjectOf(f)),
            cell(f.region ? f.region.name + '（' + f.region.code + '）' : '—'),
            cell((f.periodStart || '') + (f.periodEnd ? ' 至 ' + f.periodEnd : '')), cell(f.clauses.join('、')), assigneeCell(f)));
        });
        more.hidden = !c.pageInfo.hasNextPage;
        more.disabled = false;
        more.onclick = function () { page(c.pageInfo.endCursor).catch(function (e) { showError(root, e); }); };
      });
    }
    return page(null);
  }

  function finding(root, route) {
    var id = route.arg;
    root.appendChild(h('p', null, h('a', { href: '#findings' }, '‹ 返回疑点列表')));
    var query = 'query OfficeFinding($id: ID!) {\n  finding(id: $id) { ' + FINDING_ROW +
      ' identity ruleVersion item openedAt clearedAt resolved detail parameters { name regionCode validFrom value }' +
      ' evidence { feed stream recordKey arrivedAt versionAt values } decisions { decision reason approvalRef decidedBy decidedAt }' +
      ' explanation { rule item asOf holds clauses conditions { name text clause holds values said' +
      ' parameters { name regionCode validFrom value unit } evidence { feed stream recordKey values } } } }\n}';
    return gql(query, { id: id }).then(function (d) {
      var assigned = d.finding ? d.finding.assignments.map(function (a) { return { assignedTo: a.to }; }) : [];
      return assigneeNames(assigned).then(function () { return d; });
    }).then(function (d) {
      var f = d.finding;
      if (!f) {
        root.appendChild(notice('没有这条疑点，或不在您的辖区内。', 'error'));
        return;
      }
      var facts = [
        ['规则', f.rule + (rules[f.rule] ? ' ' + rules[f.rule].titleZh : '') + '（版本 ' + f.ruleVersion + '）'],
        ['类型', KINDS[f.kind] || f.kind], ['状态', STATUSES[f.status] || f.status], ['对象', subjectOf(f)],
        ['区划', f.region ? f.region.name + '（' + f.region.code + '）' : '—'], ['条款', f.clauses.join('、') || '—'],
        ['期间', (f.periodStart || '—') + ' 至 ' + (f.periodEnd || '—')], ['发现于', when(f.openedAt)], ['标识', f.identity],
      ];
      root.appendChild(section('疑点 ' + f.id, 'finding-facts',
        h('dl', { class: 'facts' }, facts.map(function (x) { return [h('dt', null, x[0]), h('dd', null, x[1])]; })),
        f.detail ? [h('h3', null, '比对的数值'), h('pre', { class: 'json' }, json(f.detail))] : null));
      root.appendChild(explanationSection(f.explanation));
      root.appendChild(section('证据（' + f.evidence.length + ' 条）', 'finding-evidence', f.evidence.length
        ? table('table-evidence', ['来源', '数据流', '记录', '接收时间', '数值'], f.evidence.map(function (e) {
          return h('tr', null, cell(e.feed), cell(e.stream), cell(e.recordKey), cell(when(e.arrivedAt)), cell(h('pre', { class: 'json' }, json(e.values))));
        }))
        : notice('没有可显示的证据。')));
      root.appendChild(section('处理记录', 'finding-decisions', f.decisions.length
        ? table('table-decisions', ['决定', '理由', '批准文号', '处理人', '时间'], f.decisions.map(function (x) {
          return h('tr', null, cell(DECISIONS[x.decision] || x.decision), cell(x.reason || '—', { class: 'reason' }), cell(x.approvalRef || '—'), cell(x.decidedBy), cell(when(x.decidedAt)));
        }))
        : notice('尚未处理。')));
      root.appendChild(assignmentSection(f));
      if (caps.permissions['findings:review']) root.appendChild(reviewForm(f, root));
    });
  }

  // ---- explanation (判定说明: why, and why not) -------------------------------------------------

  /**
   * Every condition of the rule with its outcome, as the hub traced it for the finding's subject
   * on the run's date (api.md "Explain"): ✔ or ✘, the condition in Chinese, the outcome as a
   * caseworker says it, the values compared, the parameter rows and the records used. Values and
   * records the reader may not see come as null or none, and show as such.
   */
  function explanationSection(e) {
    if (!e) return section('判定说明', 'finding-explanation', notice('该规则尚未按条件逐项说明。'));
    var held = e.conditions.filter(function (c) { return c.holds; }).length;
    var summary = h('p', { id: 'explanation-summary', class: e.holds ? null : 'warn', 'data-holds': e.holds ? 'true' : 'false' },
      '截至 ' + e.asOf + '，' + e.conditions.length + ' 项条件中 ' + held + ' 项成立：' + (e.holds ? '规则成立。' : '规则不成立。') +
      (e.clauses.length ? '成立的条款：' + e.clauses.join('、') + '。' : ''));
    var rows = e.conditions.map(function (c) {
      return h('tr', { 'data-key': c.name, 'data-holds': c.holds ? 'true' : 'false' },
        cell(c.holds ? '✔' : '✘', { class: 'mark ' + (c.holds ? 'holds' : 'fails'), 'aria-label': c.holds ? '成立' : '不成立' }),
        cell([h('span', { class: 'text' }, c.text), h('br'), h('code', null, c.name + (c.clause ? ' · 条款 ' + c.clause : ''))], { class: 'condition' }),
        cell(c.said || (c.holds ? '成立' : '不成立'), { class: 'said' }),
        cell(c.values === null || c.values === undefined || !Object.keys(c.values).length ? '—' : h('pre', { class: 'json' }, json(c.values)), { class: 'values' }),
        cell(c.parameters.length ? c.parameters.map(function (p) {
          return h('div', null, p.name + ' = ' + p.value + (p.unit ? ' ' + p.unit : '') + '（' + p.regionCode + '，自 ' + p.validFrom + '）');
        }) : '—', { class: 'parameters' }),
        cell(c.evidence.length ? c.evidence.map(function (x) {
          return h('div', { class: 'record' }, x.feed + ' · ' + x.stream + ' · ' + x.recordKey, x.values ? h('pre', { class: 'json' }, json(x.values)) : null);
        }) : '—', { class: 'evidence' }));
    });
    return section('判定说明（' + (e.rule + (e.item ? ' · ' + e.item : '')) + '）', 'finding-explanation', summary,
      h('div', { class: 'scroll' }, table('table-explanation', ['', '条件', '结果', '比对的数值', '参数', '依据记录'], rows)));
  }

  // ---- assignments (分派 · 核查反馈) -----------------------------------------------------------

  var departmentList = null;
  var departmentsKnown = [];
  /** The departments a finding can be assigned to (the connectors' departments); none for a token that may not list them. */
  function departments() {
    if (!departmentList) {
      departmentList = (caps.viewer && caps.viewer.role === 'OFFICE'
        ? gql('query OfficeDepartments { connectors { name department } }').then(function (d) {
          return d.connectors.filter(function (c) { return c.department; });
        }, function () { return []; })
        : Promise.resolve([])).then(function (list) {
        departmentsKnown = list;
        return list;
      });
    }
    return departmentList;
  }

  var regionNames = {};
  /** Loads the names of the region codes among assignees, once each, before a view draws them. */
  function assigneeNames(rows) {
    return departments().then(function () {
      var codes = [];
      rows.forEach(function (r) {
        if (/^\d{4,12}$/.test(r.assignedTo) && !(r.assignedTo in regionNames) && codes.indexOf(r.assignedTo) < 0) codes.push(r.assignedTo);
      });
      if (!codes.length) return;
      // the codes go as variables; the document names only their positions
      var vars = {};
      var query = 'query OfficeRegionNames(' + codes.map(function (c, i) { vars['c' + i] = c; return '$c' + i + ': String!'; }).join(', ') + ') { ' +
        codes.map(function (c, i) { return 'r' + i + ': region(code: $c' + i + ') { code name }'; }).join(' ') + ' }';
      return gql(query, vars).then(function (d) {
        codes.forEach(function (c, i) { regionNames[c] = d['r' + i] ? d['r' + i].name : null; });
      }, function () {
        codes.forEach(function (c) { regionNames[c] = null; });
      });
    });
  }
  /** A department's Chinese name or a region's name, with what the hub calls it beside. */
  function assigneeName(to) {
    var dept = null;
    departmentsKnown.forEach(function (d) { if (d.name === to) dept = d.department; });
    if (dept) return dept + '（' + to + '）';
    if (regionNames[to]) return regionNames[to] + '（' + to + '）';
    return to;
  }
  function newestAssignment(f) {
    return f.assignments && f.assignments.length ? f.assignments[f.assignments.length - 1] : null;
  }
  /** As FindingFilter.overdue: the newest assignment due before today and no report back yet. */
  function isOverdue(f) {
    var a = newestAssignment(f);
    return !!a && a.dueOn < ctx.today && !f.verifications.length;
  }
  function assigneeCell(f) {
    var a = newestAssignment(f);
    if (!a) return cell('未分派', { class: 'assignee' });
    var late = isOverdue(f);
    return cell([assigneeName(a.to), ' · 期限 ' + a.dueOn, late ? h('strong', { class: 'warn overdue' }, ' · 已逾期') : (f.verifications.length ? ' · 已反馈' : '')],
      { class: 'assignee', 'data-assigned-to': a.to, 'data-overdue': late ? 'true' : 'false' });
  }

  function overdueSection(cov) {
    var rows = cov.overdue.map(function (o) {
      return h('tr', { 'data-key': o.assignedTo },
        h('th', { scope: 'row' }, h('a', { href: link('findings', null, { assignedTo: o.assignedTo, overdue: 'true', status: 'OPEN', region: cov.regionCode }) }, assigneeName(o.assignedTo))),
        figure(o.count));
    });
    return section('逾期未反馈（按承办单位）', 'overdue',
      h('p', null, '已分派、超过办结期限仍未反馈核查结果的待核查疑点。'),
      rows.length ? table('table-overdue', ['承办单位', '逾期数'], rows) : notice('截至该日没有逾期未反馈的疑点。'));
  }

  function assignmentSection(f) {
    var newest = newestAssignment(f);
    var late = isOverdue(f);
    var body = [];
    if (newest) {
      body.push(h('p', { id: 'assignment-state', class: late ? 'warn' : null, 'data-overdue': late ? 'true' : 'false' },
        '当前承办：' + assigneeName(newest.to) + '，办结期限 ' + newest.dueOn + (late ? '，已逾期未反馈' : f.verifications.length ? '，已反馈' : '，未到期')));
      body.push(table('table-assignments', ['承办单位', '办结期限', '情况', '备注', '分派人', '分派时间'], f.assignments.map(function (a) {
        var state = a !== newest ? '已改派' : late ? '已逾期' : f.verifications.length ? '已反馈' : '未到期';
        return h('tr', { 'data-key': a.to }, cell(assigneeName(a.to)), cell(a.dueOn), cell(state, { class: a === newest && late ? 'warn' : null }),
          cell(a.note || '—', { class: 'note' }), cell(a.assignedBy), cell(when(a.assignedAt)));
      })));
    } else {
      body.push(notice('尚未分派。'));
    }
    body.push(h('h3', null, '核查反馈（' + f.verifications.length + ' 条）'));
    body.push(f.verifications.length
      ? table('table-verifications', ['核查结果', '走访日期', '说明', '反馈人', '反馈时间'], f.verifications.map(function (v) {
        return h('tr', null, cell(VERIFICATIONS[v.result] || v.result), cell(v.visitedOn), cell(v.note || '—', { class: 'note' }), cell(v.reportedBy), cell(when(v.reportedAt)));
      }))
      : notice('尚无反馈。'));
    if (caps.viewer && caps.viewer.role === 'OFFICE') body.push(assignForm(f));
    return section('分派与核查反馈', 'finding-assignments', body);
  }

  function assignForm(f) {
    var status = h('p', { class: 'status', role: 'status', id: 'assign-status' });
    var dept = h('select', { name: 'department' }, h('option', { value: '' }, '（选择部门）'));
    departments().then(function (list) {
      list.forEach(function (d) { dept.appendChild(h('option', { value: d.name }, d.department + '（' + d.name + '）')); });
    });
    var form = h('form', { id: 'assign-form', class: 'review' },
      h('fieldset', null, h('legend', null, '分派给'),
        h('label', null, h('input', { type: 'radio', name: 'target', value: 'department', checked: true }), ' 部门 '),
        h('label', null, h('input', { type: 'radio', name: 'target', value: 'region' }), ' 镇（街道）等区划 ')),
      h('label', null, '部门 ', dept),
      h('label', null, '区划代码 ', h('input', { type: 'text', name: 'regionCode', size: 14, inputmode: 'numeric', value: f.region ? f.region.code : '' })),
      h('label', null, '办结期限 ', h('input', { type: 'date', name: 'dueOn', min: ctx.today, required: true })),
      h('label', null, '备注 ', h('input', { type: 'text', name: 'note', maxlength: 2000, size: 30 })),
      h('button', { type: 'submit' }, '分派'), status);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var target = form.querySelector('input[name=target]:checked').value;
      var to = target === 'department' ? { department: form.department.value } : { regionCode: form.regionCode.value.trim() };
      if (!(to.department || to.regionCode)) { status.textContent = target === 'department' ? '请选择部门。' : '请填写区划代码。'; return; }
      status.textContent = '正在分派…';
      var input = { ids: [f.id], to: to, dueOn: form.dueOn.value, note: form.note.value.trim() || null };
      gql('mutation OfficeAssign($input: AssignFindingsInput!) { assignFindings(input: $input) { id } }', { input: input })
        .then(function () { render(); }, function (e) { status.textContent = errorText(e); });
    });
    return h('div', { id: 'finding-assign' }, h('h3', null, '分派核查'), form);
  }

  function reviewForm(f, root) {
    var status = h('p', { class: 'status', role: 'status' });
    var form = h('form', { id: 'review-form', class: 'review' },
      h('fieldset', null, h('legend', null, '处理决定'),
        Object.keys(DECISIONS).map(function (k) {
          return h('label', null, h('input', { type: 'radio', name: 'decision', value: k, required: true }), ' ' + DECISIONS[k] + ' ');
        })),
      h('label', null, '理由（排除时必填） ', h('textarea', { name: 'reason', rows: 2, maxlength: 2000 })),
      h('label', null, '批准文号（特殊情形时必填） ', h('input', { type: 'text', name: 'approvalRef', maxlength: 200 })),
      h('button', { type: 'submit' }, '提交'), status);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var decision = form.querySelector('input[name=decision]:checked');
      var input = { ids: [f.id], decision: decision && decision.value, reason: form.reason.value.trim() || null, approvalRef: form.approvalRef.value.trim() || null };
      if (input.decision === 'DISMISS' && !input.reason) { status.textContent = '排除需要填写理由。'; return; }
      if (input.decision === 'EXCEPTION' && !input.approvalRef) { status.textContent = '特殊情形需要填写领导小组批准文号。'; return; }
      status.textContent = '正在提交…';
      gql('mutation OfficeReview($input: ReviewInput!) { reviewFindings(input: $input) { id status } }', { input: input })
        .then(function () { render(); }, function (e) { status.textContent = errorText(e); });
    });
    return section('处理', 'finding-review', form);
  }

  // ---- screenings ---------------------------------------------------------------------------

  function screenings(root) {
    var year = Number(ctx.today.slice(0, 4));
    var status = h('p', { class: 'status', role: 'status', id: 'upload-status' });
    var form = h('form', { id: 'upload-form', class: 'upload' },
      h('label', null, '名单文件（CSV 或 XLSX） ', h('input', { type: 'file', name: 'file', accept: '.csv,.xlsx', required: true })),
      h('label', null, '救助项目 ', select('programme', programmes.map(function (p) { return [p.code, p.code + ' ' + p.name]; }), null, null)),
      h('label', null, '年度 ', h('input', { type: 'number', name: 'year', value: String(year), min: 2000, max: 2100, required: true })),
      h('label', null, '区划代码 ', h('input', { type: 'text', name: 'regionCode', value: ctx.region, required: true, size: 14 })),
      h('label', null, '标题 ', h('input', { type: 'text', name: 'title', required: true, size: 40, maxlength: 200 })),
      h('label', null, '筛选日期（可不填） ', h('input', { type: 'date', name: 'asOf' })),
      h('button', { type: 'submit' }, '上传并筛选'), status);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var file = form.file.files[0];
      if (!file) return;
      var body = new FormData();
      ['programme', 'year', 'regionCode', 'title', 'asOf'].forEach(function (k) { if (form[k].value) body.append(k, form[k].value); });
      body.append('file', file, file.name);
      status.textContent = '正在上传「' + file.name + '」…';
      fetch('/api/screenings', { method: 'POST', credentials: 'same-origin', headers: { 'apollo-require-preflight': 'true' }, body: body })
        .then(function (res) {
          if (res.status === 401) return signedOut();
          return res.json().then(function (answer) {
            if (res.status !== 201) {
              status.textContent = '「' + file.name + '」未能上传：' + (answer.error ? answer.error.message : res.status);
              status.className = 'status error';
              return;
            }
            status.className = 'status';
            clear(status);
            append(status, ['已上传「' + file.name + '」：' + answer.rows + ' 行，其中不予通过 ' + answer.rejected + ' 行。 ',
              h('a', { href: link('screening', answer.id), id: 'uploaded-link' }, '查看筛选结果')]);
            return list();
          });
        })
        .catch(function (e) { status.textContent = errorText(e); });
    });
    root.appendChild(section('上传拟救助名单', 'upload', h('p', null, '表头需含“身份证号”，可含“姓名”“拟救助金额”“起始日期”“备注”。'), form));
    var query = 'query OfficeScreenings { screenings(first: 50) { totalCount edges { node { id title programme year regionCode asOf submittedBy withdrawn counts { verdict rows } } } } }';
    var listed = null;
    function list() {
      return gql(query).then(function (d) {
      var rows = d.screenings.edges.map(function (e) {
        var s = e.node;
        var counts = {};
        s.counts.forEach(function (c) { counts[c.verdict] = c.rows; });
        return h('tr', { 'data-key': s.id },
          cell(h('a', { href: link('screening', s.id) }, s.title)), cell(s.programme), cell(String(s.year)), cell(s.regionCode), cell(s.asOf), cell(s.submittedBy),
          VERDICT_ORDER.map(function (v) { return figure(counts[v] || 0); }), cell(s.withdrawn ? '已撤回' : ''));
      });
      var fresh = section('名单（共 ' + d.screenings.totalCount + ' 份）', 'screening-list',
        h('div', { class: 'scroll' }, table('table-screenings', ['标题', '项目', '年度', '区划', '筛选日期', '提交人'].concat(VERDICT_ORDER.map(function (v) { return VERDICTS[v]; }), ['']), rows)));
      if (listed) root.replaceChild(fresh, listed);
      else root.appendChild(fresh);
      listed = fresh;
      });
    }
    return list();
  }

  function screening(root, route) {
    var id = route.arg;
    var verdict = route.params.get('verdict') || '';
    root.appendChild(h('p', null, h('a', { href: '#screenings' }, '‹ 返回名单')));
    var query = 'query OfficeScreening($id: ID!, $filter: ScreeningRowFilter) {\n' +
      '  screening(id: $id) { id title programme year regionCode asOf submittedBy withdrawn counts { verdict rows }\n' +
      '    rows(filter: $filter, first: 100) { totalCount edges { node { id rowNumber idNumber name amount startDate note verdict' +
      ' reasons { code clauses evidence { feed recordKey arrivedAt values } } evaluations { decision note approvalRef decidedBy decidedAt } } } } }\n}';
    return gql(query, { id: id, filter: verdict ? { verdict: [verdict] } : null }).then(function (d) {
      var s = d.screening;
      if (!s) {
        root.appendChild(notice('没有这份名单，或您无权查看。', 'error'));
        return;
      }
      var counts = {};
      s.counts.forEach(function (c) { counts[c.verdict] = c.rows; });
      root.appendChild(section(s.title, 'screening-head',
        h('p', null, '项目 ' + s.programme + ' · ' + s.year + ' 年 · 区划 ' + s.regionCode + ' · 筛选日期 ' + s.asOf + ' · 提交人 ' + s.submittedBy + (s.withdrawn ? ' · 已撤回' : '')),
        table('table-verdicts', VERDICT_ORDER.map(function (v) { return VERDICTS[v]; }), [h('tr', null, VERDICT_ORDER.map(function (v) { return figure(counts[v] || 0); }))]),
        caps.exports.screenings
          ? h('p', null, download('/api/exports/screenings/' + encodeURIComponent(s.id) + '.xlsx', '导出名单及结论（XLSX）'), ' ',
            download('/api/exports/screenings/' + encodeURIComponent(s.id) + '/approved.xlsx', '导出同意名单（XLSX）'))
          : null));
      var filter = h('form', { class: 'controls', id: 'rows-filter' },
        h('label', null, '结论 ', select('verdict', VERDICT_ORDER.map(function (v) { return [v, VERDICTS[v]]; }), verdict, '全部')),
        h('button', { type: 'submit' }, '筛选'));
      filter.addEventListener('submit', function (ev) {
        ev.preventDefault();
        go('screening', s.id, { verdict: filter.verdict.value });
      });
      var rows = s.rows.edges.map(function (e) {
        var r = e.node;
        var last = r.evaluations[r.evaluations.length - 1];
        return h('tr', { 'data-key': r.id, 'data-row': String(r.rowNumber) },
          cell(h('input', { type: 'checkbox', name: 'row', value: r.id, 'aria-label': '选择第 ' + r.rowNumber + ' 行' })),
          figure(r.rowNumber), cell(r.idNumber || '（无效）'), cell(r.name || ''), cell(r.amount || '', { class: 'n' }),
          cell(VERDICTS[r.verdict] || r.verdict, { class: 'verdict v-' + r.verdict }),
          cell(r.reasons.map(function (x) {
            return h('details', null, h('summary', null, (REASONS[x.code] || x.code) + (x.clauses.length ? '（' + x.clauses.join('、') + '）' : '')),
              x.evidence.length
                ? h('ul', null, x.evidence.map(function (ev) { return h('li', null, ev.feed + ' ' + ev.recordKey + ' ', h('code', null, json(ev.values))); }))
                : h('p', null, '证据不在您的辖区内，未显示。'));
          })),
          cell(last ? (EVALUATIONS[last.decision] || last.decision) + (last.note ? '：' + last.note : '') + (last.approvalRef ? '（' + last.approvalRef + '）' : '') + ' · ' + last.decidedBy : '未评估', { class: 'evaluation' }));
      });
      root.appendChild(section('名单行（显示 ' + s.rows.edges.length + ' / ' + s.rows.totalCount + ' 行）', 'screening-rows', filter,
        h('div', { class: 'scroll' }, table('table-rows', ['', '行号', '身份证号', '姓名', '拟救助金额', '结论', '原因', '评估'], rows))));
      root.appendChild(evaluateForm(s));
    });
  }

  function evaluateForm(s) {
    var status = h('p', { class: 'status', role: 'status', id: 'evaluate-status' });
    var form = h('form', { id: 'evaluate-form', class: 'review' },
      h('label', null, '评估 ', select('decision', Object.keys(EVALUATIONS).map(function (k) { return [k, EVALUATIONS[k]]; }), 'APPROVE', null)),
      h('label', null, ' 意见 ', h('input', { type: 'text', name: 'note', maxlength: 2000, size: 30 })),
      h('label', null, ' 领导小组批准文号（同意“提请领导小组”行时必填） ', h('input', { type: 'text', name: 'approvalRef', maxlength: 200 })),
      h('button', { type: 'submit' }, '评估所选行'), status);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var ids = Array.prototype.map.call(document.querySelectorAll('#table-rows input[name=row]:checked'), function (c) { return c.value; });
      if (!ids.length) { status.textContent = '请先勾选要评估的行。'; return; }
      status.textContent = '正在提交…';
      var input = { ids: ids, decision: form.decision.value, note: form.note.value.trim() || null, approvalRef: form.approvalRef.value.trim() || null };
      gql('mutation OfficeEvaluate($input: EvaluateScreeningRowsInput!) { evaluateScreeningRows(input: $input) { id } }', { input: input })
        .then(function () { render(); }, function (e) { status.textContent = errorText(e); });
    });
    return section('评估', 'evaluate', s.withdrawn ? notice('名单已撤回，不能评估。') : form);
  }

  // ---- reports ------------------------------------------------------------------------------

  function missing(root, what) {
    root.appendChild(notice(what + '功能尚未在本数据中心启用。'));
  }

  function isConnection(field) {
    var t = named(field.type);
    return /Connection$/.test(t.name || '');
  }

  function reports(root) {
    var field = caps.query.reports;
    if (!field) return missing(root, '月度报告');
    var sel = '{ month madeAt }';
    var query = 'query OfficeReports { reports(first: 36) ' + (isConnection(field) ? '{ edges { node ' + sel + ' } }' : sel) + ' }';
    return gql(query).then(function (d) {
      var list = isConnection(field) ? d.reports.edges.map(function (e) { return e.node; }) : d.reports;
      root.appendChild(section('月度报告', 'report-list', list.length
        ? table('table-reports', ['月份', '生成时间', ''], list.map(function (r) {
          return h('tr', { 'data-key': r.month }, cell(h('a', { href: link('report', r.month) }, r.month)), cell(when(r.madeAt)),
            cell(caps.exports.reports ? download('/api/exports/reports/' + encodeURIComponent(r.month) + '.xlsx', 'XLSX') : ''));
        }))
        : notice('还没有月度报告（每月 1 日生成上月报告）。')));
    });
  }

  function report(root, route) {
    if (!caps.query.report) return missing(root, '月度报告');
    var month = route.arg;
    root.appendChild(h('p', null, h('a', { href: '#reports' }, '‹ 返回月度报告')));
    var ruleFields = scalarFields('RuleStatusCount');
    var screeningFields = scalarFields('ScreeningCount');
    var sourceFields = ['connector', 'department', 'dataDate', 'lastSuccessAt', 'stale'].filter(function (f) { return scalarFields('Source').indexOf(f) >= 0; });
    var query = 'query OfficeReport($month: String!) { report(month: $month) { month madeAt coverage ' + coverageSelection(true) +
      (ruleFields.length ? ' findings { ' + ruleFields.join(' ') + ' }' : '') +
      (screeningFields.length ? ' screenings { ' + screeningFields.join(' ') + ' }' : '') +
      (sourceFields.length ? ' sources { ' + sourceFields.join(' ') + ' }' : '') + ' } }';
    return gql(query, { month: month }).then(function (d) {
      var r = d.report;
      if (!r) {
        root.appendChild(notice('没有 ' + month + ' 的月度报告。', 'error'));
        return;
      }
      var cov = r.coverage;
      root.appendChild(section(r.month + ' 月度报告', 'report-head',
        h('p', null, '生成于 ' + when(r.madeAt) + ' · 截至 ' + cov.asOf + ' · 覆盖人数 ', h('strong', { id: 'report-persons' }, num(cov.persons))),
        caps.exports.reports ? h('p', null, download('/api/exports/reports/' + encodeURIComponent(r.month) + '.xlsx', '导出本月报告（XLSX）')) : null,
        table('table-report-categories', ['类别', '人数'], cov.byCategory.map(function (c) {
          return h('tr', { 'data-key': c.category }, h('th', { scope: 'row' }, CATEGORY_NAMES[c.category] || c.category), figure(c.persons));
        }))));
      var RULE_HEADS = { rule: '规则', status: '状态', opened: '新发现', cleared: '已消除', decided: '已处理', openAtEnd: '月末未处理' };
      if (r.findings) {
        root.appendChild(section('疑点（按规则）', 'report-findings', genericTable('table-report-findings', ruleFields, RULE_HEADS, r.findings)));
      }
      if (r.screenings) {
        root.appendChild(section('逐一筛选', 'report-screenings', genericTable('table-report-screenings', screeningFields, {}, r.screenings)));
      }
      if (r.sources) {
        root.appendChild(section('各部门数据日期', 'report-sources', genericTable('table-report-sources', sourceFields,
          { connector: '数据源', department: '部门', dataDate: '数据日期', lastSuccessAt: '最近同步', stale: '是否过期' }, r.sources)));
      }
      if (cov.children.length) {
        root.appendChild(section('下级区划', 'report-children', table('table-report-children', ['区划', '覆盖人数'], cov.children.map(function (c) {
          return h('tr', { 'data-key': c.regionCode }, cell(c.name ? c.name + '（' + c.regionCode + '）' : c.regionCode), figure(c.persons));
        }))));
      }
    });
  }

  function shown(v) {
    if (v === true) return '是';
    if (v === false) return '否';
    if (typeof v === 'number') return num(v);
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) return when(v);
    return v === null || v === undefined ? '—' : String(v);
  }
  function genericTable(id, fields, heads, rows) {
    return table(id, fields.map(function (f) { return heads[f] || f; }), rows.map(function (x) {
      return h('tr', null, fields.map(function (f) { return typeof x[f] === 'number' ? figure(x[f]) : cell(shown(x[f])); }));
    }));
  }

  // ---- sources ------------------------------------------------------------------------------

  function sources(root) {
    if (!caps.query.sources) return missing(root, '数据研判');
    var fields = scalarFields('Source');
    var reasonFields = scalarFields('ReasonCount');
    var wanted = ['connector', 'department', 'lastSuccessAt', 'dataDate', 'maxAgeDays', 'stale', 'records', 'quarantined', 'quarantineShare', 'persons', 'matchRate', 'conflicts']
      .filter(function (f) { return fields.indexOf(f) >= 0; });
    var byReason = reasonFields.length && (caps.types.Source || []).some(function (f) { return f.name === 'quarantineByReason'; });
    var query = 'query OfficeSources { sources { ' + wanted.join(' ') + (byReason ? ' quarantineByReason { ' + reasonFields.join(' ') + ' }' : '') + ' } }';
    var HEADS = {
      connector: '数据源', department: '部门', lastSuccessAt: '最近成功同步', dataDate: '数据日期', maxAgeDays: '最长间隔（天）', stale: '是否过期',
      records: '记录数', quarantined: '隔离数', quarantineShare: '隔离比例', persons: '涉及人数', matchRate: '民政匹配率', conflicts: '冲突数',
    };
    return gql(query).then(function (d) {
      var rows = d.sources.map(function (s) {
        return h('tr', { 'data-key': s.connector, class: s.stale ? 'stale' : null }, wanted.map(function (f) {
          var v = s[f];
          if ((f === 'quarantineShare' || f === 'matchRate') && typeof v === 'number') return cell((v * 100).toFixed(1) + '%', { class: 'n', 'data-value': String(v) });
          if (f === 'stale') return cell(v ? '已过期' : '正常', { class: v ? 'warn' : null });
          return typeof v === 'number' ? figure(v) : cell(shown(v));
        }), byReason ? cell(s.quarantineByReason.map(function (q) { return reasonFields.map(function (f) { return shown(q[f]); }).join(' '); }).join('；') || '—') : null);
      });
      root.appendChild(section('各部门数据研判', 'sources-panel',
        h('p', null, '数据日期是部门数据本身的业务日期（不是同步时间）；超过最长间隔未成功同步即为过期。'),
        h('div', { class: 'scroll' }, table('table-sources', wanted.map(function (f) { return HEADS[f] || f; }).concat(byReason ? ['隔离原因'] : []), rows))));
    });
  }

  // ---- start --------------------------------------------------------------------------------

  start().then(function () {
    window.addEventListener('hashchange', render);
    render();
  }, function (e) {
    clear(app);
    showError(app, e);
  });
})();
