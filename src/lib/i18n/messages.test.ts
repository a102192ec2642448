// Every shipped language has every message, with the same parameters: a key missing in one
// language, or a translation that drops or renames a {parameter}, fails here (docs/i18n.md).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const settings = JSON.parse(
	fs.readFileSync(path.join(root, 'project.inlang/settings.json'), 'utf8')
);
const locales: string[] = settings.locales;
const patterns: string[] = settings['plugin.inlang.messageFormat'].pathPattern;

type Message = string | { declarations?: string[]; match: Record<string, string> }[];

function load(pattern: string, locale: string): Record<string, Message> {
	const file = path.join(root, pattern.replace('{locale}', locale));
	const { $schema: _schema, ...messages } = JSON.parse(fs.readFileSync(file, 'utf8'));
	return messages;
}

/** The parameters a message takes: {name} in text, and `input name` in plural declarations. */
function parameters(message: Message): string[] {
	const names = new Set<string>();
	const texts =
		typeof message === 'string' ? [message] : message.flatMap((v) => Object.values(v.match));
	for (const text of texts) {
		for (const [, name] of text.matchAll(/\{(\w+)\}/g)) {
			names.add(name!);
		}
	}
	if (typeof message !== 'string') {
		for (const variant of message) {
			for (const declaration of variant.declarations ?? []) {
				const input = /^input (\w+)$/.exec(declaration);
				if (input) {
					names.add(input[1]!);
				}
				const local = /^local (\w+) =/.exec(declaration);
				if (local) {
					names.delete(local[1]!);
				}
			}
		}
	}
	return [...names].sort();
}

function texts(message: Message): string[] {
	return typeof message === 'string' ? [message] : message.flatMap((v) => Object.values(v.match));
}

describe('messages', () => {
	it('ships English and at least one more language', () => {
		expect(settings.baseLocale).toBe('en');
		expect(locales).toContain('en');
		expect(locales.length).toBeGreaterThanOrEqual(2);
	});

	describe.each(patterns)('%s', (pattern) => {
		const base = load(pattern, settings.baseLocale);

		it.each(locales)('has every key of the base language, and no other, in %s', (locale) => {
			const messages = load(pattern, locale);
			const missing = Object.keys(base).filter((key) => !(key in messages));
			const extra = Object.keys(messages).filter((key) => !(key in base));
			expect({ missing, extra }).toEqual({ missing: [], extra: [] });
		});

		it.each(locales)('keeps each message’s parameters, and leaves none empty, in %s', (locale) => {
			const messages = load(pattern, locale);
			for (const [key, message] of Object.entries(messages)) {
				expect({ key, parameters: parameters(message) }).toEqual({
					key,
					parameters: parameters(base[key]!)
				});
				for (const text of texts(message)) {
					expect(text.trim(), key).not.toBe('');
					// Paraglide copies each message into a JSDoc comment, where "@" starts a tag and
					// breaks type checking: pass "@handle" in as a parameter instead.
					expect(text, key).not.toContain('@');
				}
			}
		});
	});

	it('uses each key in one area only', () => {
		const seen = new Map<string, string>();
		for (const pattern of patterns) {
			for (const key of Object.keys(load(pattern, settings.baseLocale))) {
				expect(seen.get(key), `${key} is in ${seen.get(key)} and ${pattern}`).toBeUndefined();
				seen.set(key, pattern);
			}
		}
	});
});
