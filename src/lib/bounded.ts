/**
 * `work`, or what `late` gives (or throws) once `ms` of real time passed first: one deadline for every wait on a peer
 * (a store call, a Slack lookup, shutdown). The timer does not keep the process alive.
 */
export function bounded<T>(ms: number, work: Promise<T>, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(late());
      } catch (error) {
        reject(error);
      }
    }, ms);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
