/** Connection and save status, driven by the provider's status and the server's durable acks. */
import type { ConnectionState } from '../collab/plan-connection';

export function ConnectionStatus({
  state,
  readOnly,
}: {
  state: ConnectionState;
  readOnly: boolean;
}) {
  const { text, tone } = describe(state, readOnly);
  return (
    <div
      className={`status ${tone}`}
      role="status"
      aria-live="polite"
      data-link={state.link}
      data-saved={String(state.saved)}
      data-testid="save-status"
    >
      <span className="dot" aria-hidden="true" />
      {text}
    </div>
  );
}

function describe(state: ConnectionState, readOnly: boolean): { text: string; tone: string } {
  switch (state.link) {
    case 'closed':
      return { text: `Disconnected: ${state.closedReason ?? 'closed by the server'}`, tone: 'bad' };
    case 'connecting':
      return {
        text: state.unsaved > 0 ? 'Reconnecting… edits will be saved' : 'Connecting…',
        tone: 'wait',
      };
    case 'disconnected':
      return { text: 'Offline — edits are kept and saved on reconnect', tone: 'bad' };
    case 'connected':
      if (!state.synced) return { text: 'Loading the plan…', tone: 'wait' };
      if (readOnly) return { text: 'Live · read-only', tone: 'ok' };
      return state.saved
        ? { text: 'All changes saved', tone: 'ok' }
        : {
            text: `Saving ${state.unsaved} change${state.unsaved === 1 ? '' : 's'}…`,
            tone: 'wait',
          };
    default:
      return assertNever(state.link);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown link status ${String(value)}`);
}
