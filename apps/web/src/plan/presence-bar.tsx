/** Who has the plan open, and where each of them is. */
import type { Peer } from '../collab/presence';

const VIEW_NAMES: Readonly<Record<string, string>> = {
  tasks: 'tasks',
  risks: 'risks',
  resources: 'resources',
  stakeholders: 'stakeholders',
  objectives: 'objectives',
};

export function PresenceBar({ peers }: { peers: readonly Peer[] }) {
  return (
    <ul className="presence" aria-label="People here">
      {peers.map((peer) => {
        const where = peer.cursor
          ? `${peer.cursor.editing ? 'editing' : 'on'} ${VIEW_NAMES[peer.cursor.view] ?? peer.cursor.view}`
          : 'viewing';
        return (
          <li
            key={peer.clientId}
            className="avatar"
            style={{ background: peer.user.color }}
            title={`${peer.user.name}${peer.isMe ? ' (you)' : ''} — ${where}`}
            aria-label={`${peer.user.name}${peer.isMe ? ' (you)' : ''}, ${where}`}
            data-user={peer.user.id}
          >
            {initials(peer.user.name)}
          </li>
        );
      })}
    </ul>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return (
    (parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : (parts[0]?.[1] ?? ''))
  ).toUpperCase();
}
