import KeyvRedis, { createClient, type RedisClientType } from '@keyv/redis';
import { Keyv } from 'keyv';
import { RedisSortedIndex } from './redis-sorted-index';
import { guard, type SortedIndex, type Store } from './store';

const NAMESPACE = 'devin-slack';
const RELEASE_IF_OWNER =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/** A store shared by several replicas. Claims are `SET NX PX`, releases compare-and-delete in one script. */
export class RedisStore implements Store {
  readonly shared = true;

  private constructor(
    readonly client: RedisClientType,
    private readonly keyv: Keyv,
  ) {}

  static async connect(url: string): Promise<RedisStore> {
    let connected = false;
    const client = createClient({
      url,
      socket: {
        connectTimeout: 5000,
        // Give up at start-up (fail fast with the cause); once up, keep reconnecting.
        reconnectStrategy: (retries, cause) =>
          connected ? Math.min(retries * 200, 2000) : new Error(cause.message, { cause }),
      },
    }) as RedisClientType;
    client.on('error', () => {
      // Reported through the failing operation; the client reconnects by itself.
    });
    await guard('connect', url.replace(/\/\/[^@]*@/, '//***@'), () => client.connect());
    connected = true;
    const adapter = new KeyvRedis(client, { namespace: NAMESPACE, throwOnErrors: true });
    return new RedisStore(
      client,
      new Keyv({ store: adapter, namespace: NAMESPACE, useKeyPrefix: false, throwOnErrors: true }),
    );
  }

  get<T>(key: string): Promise<T | undefined> {
    return guard('get', key, () => this.keyv.get<T>(key));
  }

  async set(key: string, value: unknown): Promise<void> {
    await guard('set', key, () => this.keyv.set(key, value));
  }

  async delete(key: string): Promise<void> {
    await guard('delete', key, () => this.keyv.delete(key));
  }

  claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return guard('claim', key, async () => {
      const answer = await this.client.set(this.claimKey(key), owner, {
        condition: 'NX',
        expiration: { type: 'PX', value: ttlMs },
      });
      return answer === 'OK';
    });
  }

  claimed(key: string): Promise<boolean> {
    return guard('claimed', key, async () => (await this.client.exists(this.claimKey(key))) > 0);
  }

  async release(key: string, owner: string): Promise<void> {
    await guard('release', key, () =>
      this.client.eval(RELEASE_IF_OWNER, { keys: [this.claimKey(key)], arguments: [owner] }),
    );
  }

  index(name: string): SortedIndex {
    return new RedisSortedIndex(this.client, this.key(`index:${name}`));
  }

  async close(): Promise<void> {
    await guard('close', '-', async () => {
      if (this.client.isOpen) await this.client.close();
    });
  }

  /** The Redis key of a claim (for scripts that take claims together with other writes). */
  claimKey(key: string): string {
    return this.key(`claim:${key}`);
  }

  /** The Redis key of a structure of this app's own (sorted sets, hashes). */
  key(name: string): string {
    return `${NAMESPACE}:${name}`;
  }
}
