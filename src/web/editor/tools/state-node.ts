/**
 * A tiny tldraw-style state machine: a tool owns named states, one current; the editor
 * hands each input event to the current state, which may transition to another.
 */
import type { Editor } from '../editor.js';
import type { ToolId } from '../session.js';
import type { EditorKeyEvent, EditorPointerEvent, Vec } from '../types.js';

export abstract class StateNode {
  abstract readonly id: string;

  constructor(
    protected readonly editor: Editor,
    protected readonly tool: Tool,
  ) {}

  /** `info` is whatever the transitioning state passed. */
  onEnter(_info?: unknown): void {}
  onExit(): void {}
  onPointerDown(_e: EditorPointerEvent): void {}
  onPointerMove(_e: EditorPointerEvent): void {}
  onPointerUp(_e: EditorPointerEvent): void {}
  /** Return true to consume the key before the shortcut table sees it. */
  onKeyDown(_e: EditorKeyEvent): boolean {
    return false;
  }
  /** Escape, a tool switch or an interruption: undo what the gesture did and go idle. */
  onCancel(): void {}
}

export type StateClass = new (editor: Editor, tool: Tool) => StateNode;

export class Tool {
  private readonly states = new Map<string, StateNode>();
  private currentState: StateNode;

  constructor(
    readonly id: ToolId,
    editor: Editor,
    states: StateClass[],
  ) {
    for (const S of states) {
      const state = new S(editor, this);
      this.states.set(state.id, state);
    }
    const idle = this.states.get('idle');
    if (!idle) throw new Error(`tool ${id} has no idle state`);
    this.currentState = idle;
  }

  get current(): StateNode {
    return this.currentState;
  }

  get isIdle(): boolean {
    return this.currentState.id === 'idle';
  }

  /** `tool.state`, e.g. `keypoint.dragging_point`. */
  get path(): string {
    return `${this.id}.${this.currentState.id}`;
  }

  transition(id: string, info?: unknown): void {
    const next = this.states.get(id);
    if (!next) throw new Error(`tool ${this.id} has no state ${id}`);
    this.currentState.onExit();
    this.currentState = next;
    next.onEnter(info);
  }

  /** Cancels any gesture in progress and returns to idle. */
  cancel(): void {
    if (!this.isIdle) this.currentState.onCancel();
    if (!this.isIdle) this.transition('idle');
  }
}

export function screenOf(e: EditorPointerEvent): Vec {
  return { x: e.screenX, y: e.screenY };
}

/** Whether the pointer moved further than the drag threshold (screen pixels) from `start`. */
export function movedBeyond(editor: Editor, start: Vec, e: EditorPointerEvent): boolean {
  const t = editor.dragThreshold(e.pointerType);
  const dx = e.screenX - start.x;
  const dy = e.screenY - start.y;
  return dx * dx + dy * dy > t * t;
}
