// Argument checking: every problem is an InvalidArgumentError naming the operation and the
// parameter, raised before anything is sent (the real server counts what reached it).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, InvalidArgumentError } from '../src/index.js';
import { json, startServer, TEST_SPEC, type TestServer } from './support/http.js';

let server: TestServer;
let client: ApiClient;

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url?.startsWith('/Patient?'))
      return json(res, 200, { resourceType: 'Bundle', type: 'searchset', entry: [] });
    return json(res, 200, { resourceType: 'Patient', id: '9000000009' });
  });
  client = new ApiClient(TEST_SPEC, { baseUrl: server.url, retry: false });
});
afterAll(() => server.stop());
beforeEach(() => {
  server.seen.length = 0;
});

const flag = { resourceType: 'Flag', status: 'active' };

const refused: Array<[string, string, unknown, string, RegExp]> = [
  ['missing required path parameter', 'read', {}, 'id', /required path parameter is missing/],
  ['missing required query parameter', 'search', { gender: 'male' }, 'family', /required query parameter/],
  ['unknown key', 'read', { id: '1', nhsNumber: '9000000009' }, 'nhsNumber', /unknown parameter; expected one of id/],
  ['unknown key on an operation with a body', 'create', { body: flag, id: '1' }, 'id', /expected one of body/],
  ['number for a string', 'read', { id: 9000000009 }, 'id', /expected a string, got number/],
  ['empty path parameter', 'read', { id: '' }, 'id', /path parameter is empty/],
  ['value outside the enum', 'search', { family: 'Smith', gender: 'M' }, 'gender', /expected one of male, female/],
  ['integer below minimum', 'search', { family: 'Smith', '_max-results': 0 }, '_max-results', /at least 1/],
  ['integer above maximum', 'search', { family: 'Smith', '_max-results': 51 }, '_max-results', /at most 50/],
  ['fraction for an integer', 'search', { family: 'Smith', '_max-results': 1.5 }, '_max-results', /an integer/],
  ['string for an integer', 'search', { family: 'Smith', '_max-results': '5' }, '_max-results', /an integer/],
  ['string for a boolean', 'search', { family: 'Smith', '_fuzzy-match': 'true' }, '_fuzzy-match', /true or false/],
  ['scalar for an array', 'search', { family: 'Smith', birthdate: 'eq2010-10-22' }, 'birthdate', /an array/],
  ['wrong item in an array', 'search', { family: 'Smith', birthdate: ['ge2010', 7] }, 'birthdate[1]', /a string/],
  ['header value with CR LF', 'search', { family: 'Smith', 'X-Trace': 'a\r\nX-Evil: 1' }, 'X-Trace', /line break/],
  ['header value with LF alone', 'patch', { id: '1', 'If-Match': 'W/"1"\nX: y', body: [] }, 'If-Match', /line break/],
  ['header value with NUL', 'search', { family: 'Smith', 'X-Trace': 'a\0b' }, 'X-Trace', /NUL/],
  ['missing required body', 'create', {}, 'body', /required request body is missing/],
  [
    'body of the wrong resourceType',
    'create',
    { body: { resourceType: 'Patient' } },
    'body',
    /a Flag resource, got Patient/,
  ],
  ['body without resourceType', 'create', { body: { status: 'active' } }, 'body', /a Flag resource, got an object/],
  ['body that is a string', 'create', { body: '{"resourceType":"Flag"}' }, 'body', /JSON object or array/],
  ['array body where a resource is expected', 'create', { body: [flag] }, 'body', /a Flag resource, got an array/],
  ['arguments that are not an object', 'read', 'Patient/1', '(arguments)', /expected an object of parameters/],
  ['arguments that are an array', 'read', ['1'], '(arguments)', /expected an object of parameters/],
];

describe('argument checking', () => {
  it.each(refused)('%s', async (_, operation, args, parameter, message) => {
    const error = await client.call(operation, args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    const invalid = error as InvalidArgumentError;
    expect(invalid.operation).toBe(operation);
    expect(invalid.api).toBe('test');
    expect(invalid.parameter).toBe(parameter);
    expect(invalid.message).toContain(`test.${operation}: ${parameter}: `);
    expect(invalid.message).toMatch(message);
    expect(invalid.toJSON()).toMatchObject({ parameter, operation });
    expect(server.seen).toHaveLength(0);
  });

  it('sends valid arguments: arrays repeat in the query, path values are encoded, headers set', async () => {
    await client.call('search', {
      family: 'Smith',
      gender: 'female',
      '_max-results': 50,
      birthdate: ['ge2010-01-01', 'le2011-01-01'],
      '_fuzzy-match': false,
      'X-Trace': 'trace-1',
    });
    await client.call('read', { id: 'a b/c' });
    expect(server.seen).toHaveLength(2);
    const search = new URL(server.seen[0]!.url, server.url);
    expect(search.pathname).toBe('/Patient');
    expect(search.searchParams.getAll('birthdate')).toEqual(['ge2010-01-01', 'le2011-01-01']);
    expect(search.searchParams.get('_max-results')).toBe('50');
    expect(search.searchParams.get('_fuzzy-match')).toBe('false');
    expect(server.seen[0]!.headers['x-trace']).toBe('trace-1');
    expect(server.seen[1]!.url).toBe('/Patient/a%20b%2Fc');
  });

  it('treats null and undefined optional values as absent', async () => {
    await client.call('search', { family: 'Smith', gender: undefined, birthdate: null });
    expect(server.seen[0]!.url).toBe('/Patient?family=Smith');
  });

  it('an unknown operation is refused before sending', async () => {
    await expect(client.call('delete', {})).rejects.toThrow(/no operation delete/);
    expect(server.seen).toHaveLength(0);
  });

  it('PATCH with ifMatch required and no version anywhere is refused before sending', async () => {
    await expect(client.call('patch', { id: '42', body: [] })).rejects.toThrow(/patch needs If-Match/);
    expect(server.seen).toHaveLength(0);
  });
});
