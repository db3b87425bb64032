/**
 * Where a change to a live document came from. Side effects are decided from the tag:
 * a change is echoed to every connection except the one it came from, and only changes
 * made on this node are published to other nodes.
 */
export type ChangeOrigin =
  | { readonly kind: 'connection'; readonly connectionId: string }
  | { readonly kind: 'rest'; readonly actor: string }
  | { readonly kind: 'peer-node'; readonly nodeId: string }
  /** read back from the event store: loading, or filling a gap in the version sequence */
  | { readonly kind: 'store' };

export const STORE_ORIGIN: ChangeOrigin = { kind: 'store' };

export function isLocalOrigin(origin: ChangeOrigin): boolean {
  switch (origin.kind) {
    case 'connection':
    case 'rest':
      return true;
    case 'peer-node':
    case 'store':
      return false;
    default: {
      const unhandled: never = origin;
      return unhandled;
    }
  }
}
