// A multi-step QuickInput with a back button and a step counter (as in VS Code's
// quickinput-sample): each step is a function that shows one input and returns the next step.
import * as vscode from 'vscode';

/** The user pressed the back button. */
class Back {}
/** The user closed the input (Escape, focus moved away with ignoreFocusOut off). */
class Cancelled {}

export type Step = (input: MultiStepInput) => Promise<Step | void>;

export interface PickOptions<T extends vscode.QuickPickItem> {
  title: string;
  step: number;
  totalSteps: number;
  placeholder: string;
  items: readonly T[];
  activeItem?: T;
  /** Typed text that matches no item becomes an item of its own (host names). */
  acceptTyped?: (value: string) => T | undefined;
}

export interface InputOptions {
  title: string;
  step: number;
  totalSteps: number;
  prompt: string;
  value: string;
  placeholder?: string;
  password?: boolean;
  buttons?: readonly vscode.QuickInputButton[];
  onButton?: (button: vscode.QuickInputButton, input: vscode.InputBox) => void;
  /** Checked on every change: a message to show (with its severity), or undefined. */
  validate?: (value: string) => Promise<vscode.InputBoxValidationMessage | undefined>;
  /** Called on Enter with the last validation; false keeps the input open. */
  accept?: (value: string, validation: vscode.InputBoxValidationMessage | undefined, box: vscode.InputBox) => Promise<boolean>;
}

export class MultiStepInput {
  private history: Step[] = [];

  /** Runs the steps from `start`; false when the user cancelled. */
  static async run(start: Step): Promise<boolean> {
    return new MultiStepInput().stepThrough(start);
  }

  private async stepThrough(start: Step): Promise<boolean> {
    let step: Step | void = start;
    while (step) {
      this.history.push(step);
      try {
        step = await step(this);
      } catch (e) {
        if (e instanceof Back) {
          this.history.pop();
          step = this.history.pop();
        } else if (e instanceof Cancelled) {
          return false;
        } else {
          throw e;
        }
      }
    }
    return true;
  }

  async pick<T extends vscode.QuickPickItem>(options: PickOptions<T>): Promise<T> {
    const pick = vscode.window.createQuickPick<T>();
    pick.title = options.title;
    pick.step = options.step;
    pick.totalSteps = options.totalSteps;
    pick.placeholder = options.placeholder;
    pick.ignoreFocusOut = true;
    pick.matchOnDescription = true;
    pick.items = options.items;
    if (options.activeItem) pick.activeItems = [options.activeItem];
    pick.buttons = this.history.length > 1 ? [vscode.QuickInputButtons.Back] : [];
    const typedItems = (value: string): void => {
      const typed = value.trim() ? options.acceptTyped?.(value.trim()) : undefined;
      pick.items = typed && !options.items.some((i) => i.label === typed.label) ? [typed, ...options.items] : options.items;
    };
    const disposables: vscode.Disposable[] = [];
    try {
      return await new Promise<T>((resolve, reject) => {
        disposables.push(
          pick.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && reject(new Back())),
          pick.onDidChangeValue(typedItems),
          pick.onDidAccept(() => {
            const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
            if (chosen) resolve(chosen);
          }),
          pick.onDidHide(() => reject(new Cancelled())),
        );
        pick.show();
      });
    } finally {
      disposables.forEach((d) => d.dispose());
      pick.dispose();
    }
  }

  async input(options: InputOptions): Promise<string> {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.step = options.step;
    box.totalSteps = options.totalSteps;
    box.prompt = options.prompt;
    box.value = options.value;
    box.placeholder = options.placeholder;
    box.password = options.password ?? false;
    box.ignoreFocusOut = true;
    box.buttons = [...(this.history.length > 1 ? [vscode.QuickInputButtons.Back] : []), ...(options.buttons ?? [])];
    let validation: vscode.InputBoxValidationMessage | undefined;
    let checked = Promise.resolve();
    const validate = (value: string): void => {
      if (!options.validate) return;
      checked = options.validate(value).then((message) => {
        // A later keystroke may have been checked first.
        if (box.value !== value) return;
        validation = message;
        box.validationMessage = message;
      });
    };
    const disposables: vscode.Disposable[] = [];
    // VS Code may hide the box while an Enter is being handled: that is no cancel.
    let accepting = false;
    let hidden = false;
    try {
      return await new Promise<string>((resolve, reject) => {
        disposables.push(
          box.onDidTriggerButton((b) => {
            if (b === vscode.QuickInputButtons.Back) reject(new Back());
            else options.onButton?.(b, box);
          }),
          box.onDidChangeValue(validate),
          box.onDidAccept(async () => {
            if (accepting) return;
            accepting = true;
            box.busy = true;
            const value = box.value;
            await checked;
            const ok = options.accept ? await options.accept(value, validation, box) : true;
            box.busy = false;
            accepting = false;
            if (ok) resolve(value);
            else if (hidden) {
              hidden = false;
              box.show();
            }
          }),
          box.onDidHide(() => {
            hidden = true;
            if (!accepting) reject(new Cancelled());
          }),
        );
        validate(box.value);
        box.show();
      });
    } finally {
      disposables.forEach((d) => d.dispose());
      box.dispose();
    }
  }
}
