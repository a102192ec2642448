// Roles, from least to most trusted. Shared by server and UI; no server imports here.
import { m } from '$lib/paraglide/messages';

export const ROLES = ['member', 'moderator', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The role's name in the reader's language. */
export function roleLabel(role: Role): string {
	const labels: Record<Role, () => string> = {
		member: m.common_role_member,
		moderator: m.common_role_moderator,
		staff: m.common_role_staff,
		admin: m.common_role_admin
	};
	return labels[role]();
}

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
