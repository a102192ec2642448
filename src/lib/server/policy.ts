// Who may do what: the only place that decides. Every rule is a pure `canX(actor, thing)`;
// anonymous visitors are an actor too, and anything not allowed here is denied.
import type { Role } from '$lib/domain/roles';

export interface AnonymousActor {
	kind: 'anonymous';
}

export interface UserActor {
	kind: 'user';
	id: number;
	handle: string;
	displayName: string;
	email: string;
	role: Role;
}

export type Actor = AnonymousActor | UserActor;

export const anonymous: AnonymousActor = Object.freeze({ kind: 'anonymous' });

function hasRole(actor: Actor, ...roles: Role[]): actor is UserActor {
	return actor.kind === 'user' && roles.includes(actor.role);
}

export function canSignUp(actor: Actor): boolean {
	return actor.kind === 'anonymous';
}

export function canSignIn(actor: Actor): boolean {
	return actor.kind === 'anonymous';
}

export function canManageOwnAccount(actor: Actor): actor is UserActor {
	return actor.kind === 'user';
}

/** The admin area: users and roles, the mail outbox. */
export function canAdminister(actor: Actor): actor is UserActor {
	return hasRole(actor, 'admin');
}

export function canListUsers(actor: Actor): boolean {
	return hasRole(actor, 'admin');
}

/** Admins change other people's roles; not their own, so the site never loses its last admin by accident. */
export function canChangeRole(actor: Actor, target: { id: number }, _role: Role): boolean {
	if (!hasRole(actor, 'admin')) {
		return false;
	}
	return target.id !== actor.id;
}

export function canReadOutbox(actor: Actor): boolean {
	return hasRole(actor, 'admin');
}
