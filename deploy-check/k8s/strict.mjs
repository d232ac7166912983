// Strict schema validation of Kubernetes objects, offline.
//
// kubernetes-models (and @kubernetes-models/keda) ship each type's JSON schema compiled into a validator function.
// Its validate() checks types, required fields and enums, but accepts fields the schema does not declare. The
// strict check below runs the same validator on a recording proxy of the object: the validator reads every property
// its schema declares (and enumerates the keys of maps), so a key the validator never read is one the schema does
// not know, i.e. an unknown field. Objects the schema leaves free-form (no properties declared, never looked into)
// are not reported, as the API server would accept anything there too.

/** Runs validate(data) on a proxy of data; returns {errors, unknown} (unknown = JSON pointers of unread keys). */
export function strictValidate(validate, data) {
  const touched = new Map(); // object -> Set of keys read, or ALL when its keys were enumerated
  const ALL = Symbol('all');
  const proxies = new WeakMap();
  const wrap = (value) => {
    if (value === null || typeof value !== 'object') return value;
    if (proxies.has(value)) return proxies.get(value);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === 'string') mark(target, key);
        return wrap(Reflect.get(target, key, receiver));
      },
      has(target, key) {
        if (typeof key === 'string') mark(target, key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        touched.set(target, ALL);
        return Reflect.ownKeys(target);
      },
      getOwnPropertyDescriptor(target, key) {
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  const mark = (target, key) => {
    let keys = touched.get(target);
    if (keys === ALL) return;
    if (!keys) touched.set(target, (keys = new Set()));
    keys.add(key);
  };
  let errors = [];
  try {
    validate(wrap(data));
  } catch (e) {
    errors = e.errors ?? [{ instancePath: '', message: String(e.message ?? e) }];
  }
  const unknown = [];
  const walk = (value, path) => {
    if (value === null || typeof value !== 'object') return;
    const keys = touched.get(value);
    if (!keys) return; // never looked into: free-form for the schema
    for (const key of Object.keys(value)) {
      const child = `${path}/${key}`;
      if (Array.isArray(value)) {
        walk(value[key], child);
      } else if (keys !== ALL && !keys.has(key)) {
        unknown.push(child);
      } else {
        walk(value[key], child);
      }
    }
  };
  walk(data, '');
  return { errors, unknown };
}

/**
 * A small JSON-schema checker for the committed minimal schemas of the Strimzi and CloudNativePG custom resources
 * (k8s/schemas/*.schema.json): type, properties + additionalProperties, required, enum, items, pattern, minimum,
 * maximum. additionalProperties defaults to false (strict): every field used must be in the schema.
 */
export function checkSchema(schema, value, path = '', problems = []) {
  const type = schema.type;
  const typeOk = {
    object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
    array: Array.isArray,
    string: (v) => typeof v === 'string',
    integer: Number.isInteger,
    number: (v) => typeof v === 'number',
    boolean: (v) => typeof v === 'boolean',
  };
  const types = type === undefined ? [] : Array.isArray(type) ? type : [type];
  if (types.length && !types.some((t) => typeOk[t](value))) {
    problems.push(`${path || '/'}: expected ${types.join(' or ')}, got ${JSON.stringify(value)}`);
    return problems;
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    problems.push(`${path || '/'}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (schema.pattern && typeof value === 'string' && !new RegExp(schema.pattern).test(value)) {
    problems.push(`${path || '/'}: "${value}" does not match ${schema.pattern}`);
  }
  if (schema.minimum !== undefined && typeof value === 'number' && value < schema.minimum) {
    problems.push(`${path || '/'}: ${value} < minimum ${schema.minimum}`);
  }
  if (schema.maximum !== undefined && typeof value === 'number' && value > schema.maximum) {
    problems.push(`${path || '/'}: ${value} > maximum ${schema.maximum}`);
  }
  if (typeOk.object(value) && (schema.properties || schema.additionalProperties !== undefined)) {
    for (const req of schema.required ?? []) {
      if (!(req in value)) problems.push(`${path || '/'}: missing required field "${req}"`);
    }
    for (const [key, child] of Object.entries(value)) {
      const sub = schema.properties?.[key];
      if (sub) checkSchema(sub, child, `${path}/${key}`, problems);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        checkSchema(schema.additionalProperties, child, `${path}/${key}`, problems);
      } else if (schema.additionalProperties !== true) {
        problems.push(`${path}/${key}: unknown field (not in the schema)`);
      }
    }
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => checkSchema(schema.items, item, `${path}/${i}`, problems));
  }
  return problems;
}
