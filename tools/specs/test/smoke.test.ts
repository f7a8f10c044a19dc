import { expect, test } from 'vitest';
import { hello } from '../src/index.js';
test('x', () => expect(hello).toBe(1));
