// Where libvirt's client library is on each platform, and what to install when it is not.
import { t } from '../l10n';

/** Names a library path to load instead of the platform's default (for the CLI and tests). */
export const LIBRARY_ENV = 'VIRT_URI_LIBVIRT_SO';

interface PlatformLibrary {
  /** The library's file name; alone, the system's loader searches its usual places. */
  file: string;
  /** Folders tried first, in order, because the loader does not search them by default. */
  folders: readonly string[];
  /** What to install, in a sentence's middle: "install …" (in the user's language). */
  install: () => string;
}

const LINUX: PlatformLibrary = {
  file: 'libvirt.so.0',
  folders: [],
  install: () => t('the libvirt0 package (Debian, Ubuntu) or libvirt-libs (Fedora, RHEL, openSUSE)'),
};

const LIBRARIES: Partial<Record<NodeJS.Platform, PlatformLibrary>> = {
  linux: LINUX,
  // Homebrew's prefix: /opt/homebrew on Apple silicon, /usr/local on Intel Macs.
  darwin: { file: 'libvirt.0.dylib', folders: ['/opt/homebrew/lib', '/usr/local/lib'], install: () => t('libvirt with Homebrew (brew install libvirt)') },
  // virt-viewer's and MSYS2's bin folders hold libvirt-0.dll with the DLLs it needs; Windows
  // finds those only when that folder is on PATH.
  win32: {
    file: 'libvirt-0.dll',
    folders: [],
    install: () => t("virt-viewer, or MSYS2's libvirt (pacman -S mingw-w64-ucrt-x86_64-libvirt), and put its bin folder on PATH"),
  },
  freebsd: { ...LINUX, install: () => t('the libvirt package (pkg install libvirt)') },
};

function platformLibrary(platform: NodeJS.Platform): PlatformLibrary {
  return LIBRARIES[platform] ?? { ...LINUX, install: () => t("your system's libvirt package") };
}

/** Where libvirt is looked for on `platform` when nothing names it: full paths first, then the bare file name. */
export function libraryCandidates(platform: NodeJS.Platform): string[] {
  const lib = platformLibrary(platform);
  return [...lib.folders.map((folder) => `${folder}/${lib.file}`), lib.file];
}

export interface LibraryChoice {
  /** A path given by the caller (the `libvirt.libraryPath` setting); wins over everything. */
  explicit?: string;
  /** The value of VIRT_URI_LIBVIRT_SO. */
  env?: string;
}

/**
 * The library to load: the explicit path, else VIRT_URI_LIBVIRT_SO, else the first candidate
 * file that exists, else the bare file name for the loader to search. Empty strings count as unset.
 */
export function chooseLibrary(platform: NodeJS.Platform, choice: LibraryChoice, exists: (file: string) => boolean): string {
  if (choice.explicit) return choice.explicit;
  if (choice.env) return choice.env;
  const candidates = libraryCandidates(platform);
  return candidates.slice(0, -1).find(exists) ?? candidates[candidates.length - 1];
}

/** What to install on `platform` for libvirt's client library, e.g. "the libvirt0 package (Debian, Ubuntu) or …". */
export function libvirtInstallHint(platform: NodeJS.Platform): string {
  return platformLibrary(platform).install();
}
