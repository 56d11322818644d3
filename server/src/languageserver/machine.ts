// What completion reads from this machine: host names from ssh's client configuration,
// known_hosts and /etc/hosts, and folder listings for path parameters. Everything is read
// asynchronously and bounded, errors count as "nothing there", and a file is read again only
// when its size or modification time changed. A request waits for this at most a few
// milliseconds; a file system that hangs leaves the last answer standing.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HOST_SOURCES } from '../languageservice/catalog';
import { DirectoryEntry, HostNames, NO_HOSTS, parseEtcHosts, parseKnownHosts } from '../languageservice/environment';
import { parseSshConfig } from '../languageservice/sshConfig';

/** More of a file than this is not read: host lists that long are cut. */
const MAX_FILE_BYTES = 1 << 20;
/** Entries of one folder; the rest are not listed. */
const MAX_ENTRIES = 1000;
/** Folders kept listed; the oldest goes first. */
const MAX_LISTINGS = 64;
/** A listing older than this is read again. */
const LISTING_TTL_MS = 5000;
/** The host files are looked at (stat) again at most this often: typing asks many times a second. */
const RECHECK_MS = 2000;

/** Resolves when `p` settles or after `ms`, whichever is first. */
function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.then(() => undefined, () => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]).finally(() => clearTimeout(timer));
}

class WatchedFile<T> {
  private stamp = '';
  value: T;

  constructor(readonly file: string, private readonly parse: (text: string) => T, private readonly empty: T) {
    this.value = empty;
  }

  /** Reads the file again if it changed; a missing, unreadable or special file (a FIFO would block) is empty. */
  async refresh(): Promise<void> {
    let stamp = 'none';
    let size = 0;
    try {
      const st = await fs.stat(this.file);
      if (st.isFile()) {
        stamp = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
        size = st.size;
      }
    } catch {
      // No file: nothing there.
    }
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    if (stamp === 'none') {
      this.value = this.empty;
      return;
    }
    try {
      const handle = await fs.open(this.file, 'r');
      try {
        const buffer = Buffer.alloc(Math.min(size, MAX_FILE_BYTES));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        this.value = this.parse(buffer.toString('utf8', 0, bytesRead));
      } finally {
        await handle.close();
      }
    } catch {
      this.value = this.empty;
    }
  }
}

export class MachineEnvironment {
  private readonly sshConfig: WatchedFile<HostNames['sshConfig']>;
  private readonly knownHosts: WatchedFile<HostNames['knownHosts']>;
  private readonly etcHosts: WatchedFile<HostNames['etcHosts']>;
  private hostNames: HostNames = NO_HOSTS;
  private refreshing: Promise<void> | undefined;
  private readonly listings = new Map<string, { at: number; entries: DirectoryEntry[] }>();
  private readonly wanted = new Set<string>();
  private readonly reading = new Map<string, Promise<void>>();

  private checked = -Infinity;

  constructor(private readonly home = os.homedir(), hostsFile: string = HOST_SOURCES.etcHosts.file, private readonly recheckMs = RECHECK_MS) {
    // The catalog names the files as the user knows them (`~/.ssh/config`).
    const inHome = (file: string) => path.join(home, file.replace(/^~\//, ''));
    this.sshConfig = new WatchedFile(inHome(HOST_SOURCES.sshConfig.file), parseSshConfig, []);
    this.knownHosts = new WatchedFile(inHome(HOST_SOURCES.knownHosts.file), parseKnownHosts, []);
    this.etcHosts = new WatchedFile(hostsFile, parseEtcHosts, []);
  }

  /**
   * Reads again the files that changed, waiting at most `waitMs`. While an earlier reading is
   * still under way (a slow or hung file system), or one was started moments ago, it does not wait at all.
   */
  async refresh(waitMs: number): Promise<void> {
    if (this.refreshing || performance.now() - this.checked < this.recheckMs) return;
    this.checked = performance.now();
    const files = [this.sshConfig, this.knownHosts, this.etcHosts];
    const run = Promise.all(files.map((f) => f.refresh())).then(() => {
      this.hostNames = { sshConfig: this.sshConfig.value, knownHosts: this.knownHosts.value, etcHosts: this.etcHosts.value };
    });
    this.refreshing = run.finally(() => (this.refreshing = undefined));
    await within(this.refreshing, waitMs);
  }

  hosts(): HostNames {
    return this.hostNames;
  }

  homeDir(): string {
    return this.home;
  }

  /** A folder's entries when recently read; otherwise undefined, and the folder is wanted. */
  listDirectory(dir: string): readonly DirectoryEntry[] | undefined {
    const listing = this.listings.get(dir);
    if (listing && Date.now() - listing.at < LISTING_TTL_MS) return listing.entries;
    this.wanted.add(dir);
    return undefined;
  }

  /** Whether a completion asked for folders not read yet. */
  get wants(): boolean {
    return this.wanted.size > 0;
  }

  /** Reads the wanted folders, waiting at most `waitMs`; those that take longer are there next time. */
  async readWanted(waitMs: number): Promise<void> {
    const reads = [...this.wanted].map((dir) => {
      let read = this.reading.get(dir);
      if (!read) {
        read = this.list(dir).finally(() => this.reading.delete(dir));
        this.reading.set(dir, read);
      }
      return read;
    });
    this.wanted.clear();
    await within(Promise.all(reads), waitMs);
  }

  private async list(dir: string): Promise<void> {
    const entries: DirectoryEntry[] = [];
    try {
      // opendir rather than readdir: a huge folder is not read whole.
      const handle = await fs.opendir(dir);
      for await (const e of handle) {
        let directory = e.isDirectory();
        if (e.isSymbolicLink()) directory = await fs.stat(path.join(dir, e.name)).then((s) => s.isDirectory(), () => false);
        entries.push({ name: e.name, directory });
        if (entries.length >= MAX_ENTRIES) break;
      }
    } catch {
      // Unreadable or gone: no entries.
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.listings.delete(dir);
    this.listings.set(dir, { at: Date.now(), entries });
    if (this.listings.size > MAX_LISTINGS) this.listings.delete(this.listings.keys().next().value!);
  }
}
