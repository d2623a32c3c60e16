import { Migration } from '@mikro-orm/migrations';

/**
 * Every parameter has a declared type, unit and sane range (parameters.md: "beside its name"), and
 * a value outside them is never stored: `2.5` for a day count once made every rule run and every
 * coverage query fail until the row was deleted by hand (issue 11, item 7).
 *
 * - `parameter_definition`: one row per parameter name; `parameter.name` references it.
 * - A trigger refuses a row whose value or valid_from does not conform, whoever inserts it.
 * - `weijiu_param` skips a row that does not conform (one inserted before the trigger existed, or
 *   with triggers off) and falls back to the next applicable row; the rule run reports it
 *   (src/rules/engine/runRules.ts).
 */
export class Migration20261206000008ParameterTypes extends Migration {
  override async up(): Promise<void> {
    const sql = [
      `create table parameter_definition (
        name text primary key,
        type text not null check (type in ('INTEGER', 'DECIMAL', 'LIST')),
        unit text not null,
        minimum numeric,
        maximum numeric,
        -- the most digits after the decimal point (0 for INTEGER)
        decimals int not null default 0 check (decimals between 0 and 6),
        description text not null,
        check ((type = 'LIST') = (minimum is null and maximum is null)),
        check (minimum <= maximum),
        check (type <> 'INTEGER' or decimals = 0),
        -- rules cast integers with ::int
        check (type <> 'INTEGER' or (minimum >= -2147483648 and maximum <= 2147483647)),
        -- the conformance check below reads at most 15 digits before the point
        check (maximum < 1e15 and minimum > -1e15))`,
      definitionSeed,

      // What a value must be, in words, for messages and warnings.
      `create function weijiu_parameter_expected(def parameter_definition) returns text
         language sql immutable parallel safe
         return case def.type
           when 'INTEGER' then format('a whole number from %s to %s (%s)', def.minimum, def.maximum, def.unit)
           when 'DECIMAL' then format('a number from %s to %s (%s) with at most %s decimals', def.minimum, def.maximum, def.unit, def.decimals)
           when 'LIST' then format('a list of names separated by "," "，" or "、" (%s)', def.unit)
         end`,

      // Why a value does not conform to its definition, or null when it does. Never raises: the
      // cast runs only on text the patterns admit (plpgsql, so that nothing is folded early).
      `create function weijiu_parameter_fault(def parameter_definition, v text) returns text
         language plpgsql immutable parallel safe
         as $$
         declare
           t text := btrim(coalesce(v, ''));
           n numeric;
         begin
           if def.name is null then return 'has no definition (parameter_definition)'; end if;
           if t = '' then return 'is empty'; end if;
           if length(t) > 200 then return 'is longer than 200 characters'; end if;
           if def.type = 'LIST' then
             if exists (select 1 from regexp_split_to_table(t, '\\s*[,，、]\\s*') k where k = '') then return 'has an empty item'; end if;
             return null;
           end if;
           if t !~ '^-?[0-9]+(\\.[0-9]+)?$' then return 'is not a number'; end if;
           if def.type = 'INTEGER' and position('.' in t) > 0 then return 'is not a whole number'; end if;
           if t ~ '^-?0*[1-9][0-9]{15}' then return 'is out of range'; end if;
           if coalesce(length(substring(t from '\\.([0-9]+)$')), 0) > def.decimals then
             return format('has more than %s decimals', def.decimals);
           end if;
           n := t::numeric;
           if n < def.minimum or n > def.maximum then return 'is out of range'; end if;
           return null;
         end $$`,

      `create function weijiu_parameter_value_ok(p_name text, p_value text) returns boolean
         language sql stable parallel safe
         return coalesce((select weijiu_parameter_fault(d, p_value) is null from parameter_definition d where d.name = p_name), false)`,

      // Refuses what does not conform, whoever writes it (setParameter checks first and says why).
      `create function weijiu_parameter_conforms() returns trigger
         language plpgsql
         as $$
         declare
           def parameter_definition;
           fault text;
         begin
           select * into def from parameter_definition where name = new.name;
           -- an unknown name is the foreign key's to refuse
           if not found then return new; end if;
           fault := weijiu_parameter_fault(def, new.value);
           if fault is not null then
             raise exception 'parameter %: value "%" %; it is %', new.name, left(new.value, 60), fault, weijiu_parameter_expected(def)
               using errcode = 'check_violation', constraint = 'parameter_value_conforms';
           end if;
           if new.valid_from not between date '2000-01-01' and date '2100-12-31' then
             raise exception 'parameter %: valid_from % is outside 2000-01-01 … 2100-12-31', new.name, new.valid_from
               using errcode = 'check_violation', constraint = 'parameter_valid_from_window';
           end if;
           return new;
         end $$`,
      `create trigger parameter_value_conforms before insert or update on parameter
         for each row execute function weijiu_parameter_conforms()`,

      // Checked for new rows at once; rows already there are validated only when every name is
      // defined, else named (a migration does not fail on old data).
      `alter table parameter add constraint parameter_name_defined foreign key (name) references parameter_definition (name) not valid`,
      `do $$
       declare r record; unknown int := 0;
       begin
         for r in select p.name, p.region_code, p.valid_from, p.value, weijiu_parameter_fault(d, p.value) as fault
                    from parameter p left join parameter_definition d on d.name = p.name
                   where weijiu_parameter_fault(d, p.value) is not null
                   order by p.name, p.region_code, p.valid_from loop
           raise notice 'parameter % % from %: value "%" %; lookups skip it', r.name, r.region_code, r.valid_from, left(r.value, 60), r.fault;
         end loop;
         select count(*) into unknown from parameter p where not exists (select 1 from parameter_definition d where d.name = p.name);
         if unknown = 0 then alter table parameter validate constraint parameter_name_defined; end if;
       end $$`,

      // The lookup of parameters.md, skipping rows that do not conform: the next applicable row
      // (a less specific region, an earlier date) answers instead, and the rule run names the row.
      // The candidates are sorted first (offset 0 keeps the check out of the sort's input) and
      // checked in that order until one conforms — usually the first, so one check per call; the
      // definition is read once per statement when the name is a constant.
      `create or replace function weijiu_param(p_name text, p_region text, d date) returns table (id bigint, value text)
         language sql stable
         as $$ select c.id, c.value
                 from (select p.id, p.value from parameter p
                        where p.name = p_name and starts_with(p_region, p.region_code) and p.valid_from <= d
                        order by length(p.region_code) desc, p.valid_from desc offset 0) c
                where weijiu_parameter_fault((select def from parameter_definition def where def.name = p_name), c.value) is null
                limit 1 $$`,

      // The small-cell threshold of analysts' counts (api.md), city-wide from the first seed date.
      `insert into parameter (name, region_code, valid_from, value, unit, note)
       select 'min_cell_size', region_code, min(valid_from), '5', 'persons', 'counts from 1 to this - 1 are suppressed for ANALYST'
         from parameter where length(region_code) = 4 and valid_from between date '2000-01-01' and date '2100-12-31' group by region_code
       on conflict do nothing`,
    ];
    for (const s of sql) this.addSql(s);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from parameter where name = 'min_cell_size'`);
    this.addSql(`create or replace function weijiu_param(p_name text, p_region text, d date) returns table (id bigint, value text)
       language sql stable
       as $$ select id, value from parameter
              where name = p_name and starts_with(p_region, region_code) and valid_from <= d
              order by length(region_code) desc, valid_from desc limit 1 $$`);
    this.addSql(`alter table parameter drop constraint if exists parameter_name_defined`);
    this.addSql(`drop trigger if exists parameter_value_conforms on parameter`);
    for (const f of [
      'weijiu_parameter_conforms()',
      'weijiu_parameter_value_ok(text, text)',
      'weijiu_parameter_fault(parameter_definition, text)',
      'weijiu_parameter_expected(parameter_definition)',
    ]) {
      this.addSql(`drop function if exists ${f}`);
    }
    this.addSql(`drop table if exists parameter_definition`);
  }
}

const MONEY = `0, 999999999.99, 2`;

/** parameters.md, each name with its type, unit and a sane range. */
const definitionSeed = `insert into parameter_definition (name, type, unit, minimum, maximum, decimals, description) values
  ('db_standard_urban', 'DECIMAL', 'yuan/person/month', ${MONEY}, '城市居民最低生活保障标准（元/人·月）'),
  ('db_standard_rural', 'DECIMAL', 'yuan/person/month', ${MONEY}, '农村居民最低生活保障标准（元/人·月）'),
  ('tk_multiplier', 'DECIMAL', 'x urban DB standard', 0, 10, 2, '特困人员基本生活标准：城市低保标准的倍数'),
  ('recent_window_days', 'INTEGER', 'days', 1, 3650, 0, '近期窗口天数：d 之前（含 d）的天数'),
  ('after_death_grace_days', 'INTEGER', 'days', 0, 3650, 0, '死亡后停发救助的宽限天数'),
  ('deposit_months', 'INTEGER', 'months of the DB standard per member', 0, 240, 0, '家庭存款上限：人均低保标准的月数'),
  ('real_estate_max', 'INTEGER', 'properties', 0, 100, 0, '家庭可拥有的房产套数上限'),
  ('exempt_vehicle_kinds', 'LIST', 'list (comma-separated)', null, null, 0, '不计入家庭财产的机动车类型（以逗号或顿号分隔）'),
  ('medical_oop_threshold', 'DECIMAL', 'yuan/calendar year', ${MONEY}, '自然年内医疗个人自付费用门槛（元）'),
  ('dibao_floor_months', 'INTEGER', 'months of the rural DB standard', 0, 240, 0, '收入下限：农村低保标准的月数'),
  ('dangerous_house_days', 'INTEGER', 'days', 1, 3650, 0, '危房鉴定后未改造的天数'),
  ('sudden_oop_threshold', 'DECIMAL', 'yuan/recent window', ${MONEY}, '近期窗口内突发医疗自付费用门槛（元）'),
  ('town_staff_split_residents', 'INTEGER', 'residents', 1, 10000000, 0, '乡镇（街道）社会救助经办人员配备的常住人口分界'),
  ('town_staff_small', 'INTEGER', 'people', 1, 1000, 0, '常住人口不超过分界的乡镇（街道）应配经办人员数'),
  ('town_staff_large', 'INTEGER', 'people', 1, 1000, 0, '常住人口超过分界的乡镇（街道）应配经办人员数'),
  ('village_coordinators_split_households', 'INTEGER', 'households', 1, 1000000, 0, '村（社区）社会救助协理员配备的户数分界'),
  ('village_coordinators_small', 'INTEGER', 'people', 1, 100, 0, '户数不超过分界的村（社区）应配协理员数'),
  ('village_coordinators_large', 'INTEGER', 'people', 1, 100, 0, '户数超过分界的村（社区）应配协理员数'),
  ('county_reserve_per_resident', 'DECIMAL', 'yuan', ${MONEY}, '县级临时救助备用金：按常住人口每人（元）'),
  ('town_backup_fund', 'DECIMAL', 'yuan', ${MONEY}, '乡镇（街道）临时救助备用金（元）'),
  ('centralised_care_rate', 'DECIMAL', 'share', 0, 1, 4, '特困人员集中供养比例（0 至 1）'),
  ('min_cell_size', 'INTEGER', 'persons', 2, 1000, 0, '分析人员统计的最小单元：1 至此数减 1 的计数不予显示')`;
