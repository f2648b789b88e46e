import { NATS_ADMIN_USER, NATS_USERS, natsUserPermissions, type NatsUser } from './permissions';

/**
 * A user's password in the server configuration: the value itself (local stack, tests), or
 * the name of an environment variable of the nats-server process (Kubernetes: the
 * configuration is a committed ConfigMap, the passwords come from a Secret).
 */
export type NatsPasswordSource = { value: string } | { env: string };

/** `NATS_PASSWORD_TICKETS`: the variable naming a user's password in the manifests. */
export function natsPasswordVariable(user: NatsUser): string {
  return `NATS_PASSWORD_${user.toUpperCase()}`;
}

const list = (items: string[]) => `[${items.map((s) => JSON.stringify(s)).join(', ')}]`;

/**
 * The nats-server `authorization` block: one user per service and per observer with the
 * permissions the event catalog gives it (nats/permissions.ts), and the admin user. There is no
 * `no_auth_user`: a client without credentials is refused. Everything else (ports, JetStream
 * store, cluster) stays on the command line, so one text serves tests, the local stack and
 * the manifests.
 */
export function natsAuthorizationConfig(password: (user: NatsUser) => NatsPasswordSource): string {
  const users = NATS_USERS.map((user) => {
    const source = password(user);
    const pass = 'env' in source ? `$${source.env}` : JSON.stringify(source.value);
    if (user === NATS_ADMIN_USER) return `    { user: "${user}", password: ${pass} }`;
    const p = natsUserPermissions(user);
    const deny = p.denyPublish?.length ? `, deny: ${list(p.denyPublish)}` : '';
    return [
      `    {`,
      `      user: "${user}", password: ${pass}`,
      `      permissions: {`,
      `        publish: { allow: ${list(p.publish)}${deny} }`,
      `        subscribe: { allow: ${list(p.subscribe)} }`,
      `      }`,
      `    }`,
    ].join('\n');
  });
  return [
    '# Generated from the event catalog by natsAuthorizationConfig (@ticketing/common): do not edit.',
    'authorization {',
    '  users: [',
    users.join('\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
}
