/** Which requests share a batch: those that arrive while one is written, up to a count and a size. */
import { GroupCommitQueue, type BatchOutcome } from '@lib/event-store';

/** a queue whose writes finish when the test says so, recording each batch it was given */
function recordingQueue(options: { maxBatch: number; maxBatchBytes?: number }) {
  const batches: number[][] = [];
  let finishWrite: () => void = () => undefined;
  const queue = new GroupCommitQueue<number, number>(
    (requests) => {
      batches.push([...requests]);
      return new Promise<BatchOutcome<number>[]>((resolve) => {
        finishWrite = () => resolve(requests.map((r) => ({ ok: true, value: r * 10 })));
      });
    },
    { enabled: true, windowMs: 0, ...options },
    (request) => request,
  );
  const settle = async (): Promise<void> => {
    await new Promise((resolve) => setImmediate(resolve));
    finishWrite();
  };
  return { queue, batches, settle };
}

describe('group commit queue', () => {
  it('given requests arriving while a batch is written, then they share the next batch, at most maxBatch at a time, each with its own result', async () => {
    const { queue, batches, settle } = recordingQueue({ maxBatch: 3 });
    const first = queue.submit(1);
    await settle();
    const later = [2, 3, 4, 5].map((n) => queue.submit(n));
    await first;
    for (let i = 0; i < 2; i++) await settle();
    expect(await Promise.all(later)).toEqual([20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('given maxBatchBytes, when pending requests add up past it, then the batch closes before the one that would cross it, and a larger request goes alone', async () => {
    const { queue, batches, settle } = recordingQueue({ maxBatch: 100, maxBatchBytes: 10 });
    const all = [4, 5, 3, 30, 2].map((n) => queue.submit(n));
    for (let i = 0; i < 4; i++) await settle();
    expect(await Promise.all(all)).toEqual([40, 50, 30, 300, 20]);
    expect(batches).toEqual([[4, 5], [3], [30], [2]]);
  });
});
