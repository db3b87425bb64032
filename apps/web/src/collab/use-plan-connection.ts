/** React bindings for a live plan: the connection, its status and the plan as JSON. */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { PlanJson } from '@lib/plan-domain';
import type { Session } from '../session/session';
import { PlanConnection, type ConnectionState } from './plan-connection';

export function usePlanConnection(planId: string, session: Session): PlanConnection | undefined {
  const [connection, setConnection] = useState<PlanConnection>();
  useEffect(() => {
    const created = new PlanConnection(planId, session);
    setConnection(created);
    return () => {
      setConnection(undefined);
      created.destroy();
    };
  }, [planId, session]);
  return connection;
}

export function useConnectionState(connection: PlanConnection): ConnectionState {
  return useSyncExternalStore(connection.subscribe, connection.getState);
}

export function useLivePlan(connection: PlanConnection): PlanJson {
  return useSyncExternalStore(connection.subscribePlan, connection.getPlan);
}
