// Roles, from least to most trusted. Shared by server and UI; no server imports here.
export const ROLES = ['member', 'moderator', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
	member: 'Member',
	moderator: 'Moderator',
	staff: 'Staff',
	admin: 'Admin'
};

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
