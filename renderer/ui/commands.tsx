/**
 * App-wide commands: what the keyboard shortcuts, the command palette and the app menu ask
 * a page to do. A page that can do something registers a handler while it is mounted:
 *
 *   useFind(() => searchRef.current?.focus());          // Ctrl/Cmd+F on this page
 *   useCommand('new-conversation', () => startNew());   // Ctrl/Cmd+N, palette, menu
 *   useCommand('open-conversation', ({ id }) => open(id));
 *   useCommand('open-dataset', ({ name }) => showDetails(name));
 *
 * A command sent before its page has mounted (the shell navigates first, the page loads
 * lazily) waits and is delivered when the handler registers. "find" never waits: it is
 * for the page in view only.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';

export type AppCommand =
  | { type: 'find' }
  | { type: 'new-conversation' }
  | { type: 'open-conversation'; id: string }
  | { type: 'open-dataset'; name: string };
export type AppCommandType = AppCommand['type'];
type CommandOf<T extends AppCommandType> = Extract<AppCommand, { type: T }>;
type Handler = (command: AppCommand) => void;

interface CommandBus {
  /** True when a handler took it (or it is queued for the page being opened). */
  send(command: AppCommand): boolean;
  register(type: AppCommandType, handler: Handler): () => void;
  has(type: AppCommandType): boolean;
}

const CommandContext = createContext<CommandBus | null>(null);

export function CommandProvider({ children }: { children: ReactNode }) {
  const handlers = useRef(new Map<AppCommandType, Handler[]>());
  const pending = useRef(new Map<AppCommandType, AppCommand>());
  const bus = useMemo<CommandBus>(
    () => ({
      send(command) {
        const list = handlers.current.get(command.type);
        if (list && list.length > 0) {
          // The most recently mounted handler is the one in view.
          list[list.length - 1](command);
          return true;
        }
        if (command.type === 'find') return false;
        pending.current.set(command.type, command);
        return true;
      },
      register(type, handler) {
        const list = handlers.current.get(type) ?? [];
        list.push(handler);
        handlers.current.set(type, list);
        const waiting = pending.current.get(type);
        if (waiting) {
          pending.current.delete(type);
          // After the registering page's own effects, so its state is ready.
          queueMicrotask(() => handler(waiting));
        }
        return () => {
          const now = handlers.current.get(type) ?? [];
          handlers.current.set(
            type,
            now.filter((h) => h !== handler),
          );
        };
      },
      has: (type) => (handlers.current.get(type)?.length ?? 0) > 0,
    }),
    [],
  );
  return <CommandContext.Provider value={bus}>{children}</CommandContext.Provider>;
}

export function useCommandBus(): CommandBus {
  const bus = useContext(CommandContext);
  if (!bus) throw new Error('useCommandBus outside CommandProvider');
  return bus;
}

/** Handles one command while the calling component is mounted. */
export function useCommand<T extends AppCommandType>(type: T, handler: (command: CommandOf<T>) => void): void {
  const bus = useCommandBus();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  const stable = useCallback((command: AppCommand) => latest.current(command as CommandOf<T>), []);
  useEffect(() => bus.register(type, stable), [bus, type, stable]);
}

/** Ctrl/Cmd+F on the calling page: usually focuses its search field. */
export function useFind(handler: () => void): void {
  useCommand('find', handler);
}
