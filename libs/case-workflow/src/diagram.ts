import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { caseMachine } from './case-machine';
import { STATE_LABELS } from './workflow';

function mermaidId(path: readonly string[]): string {
  return path.join('_');
}

function guardName(transition: AnyTransitionDefinition): string {
  const guard: unknown = transition.guard;
  if (typeof guard === 'string') return guard;
  if (guard && typeof guard === 'object' && 'type' in guard) return String(guard.type);
  return '';
}

/** A Mermaid state diagram generated from the machine itself, so the README cannot drift from the code. */
export function caseWorkflowMermaid(): string {
  const declarations: string[] = [];
  const edges: string[] = [];

  const edgeLines = (node: AnyStateNode): void => {
    const transitions: [string, AnyTransitionDefinition[]][] = [...node.transitions.entries()];
    if (node.always?.length) transitions.push(['always', node.always]);
    for (const [eventType, definitions] of transitions) {
      for (const definition of definitions) {
        const guard = guardName(definition);
        const targets: readonly AnyStateNode[] = definition.target ?? [node];
        for (const target of targets) {
          edges.push(`  ${mermaidId(node.path)} --> ${mermaidId(target.path)} : ${eventType}${guard ? ` [${guard}]` : ''}`);
        }
      }
    }
  };

  const visit = (node: AnyStateNode, indent: string): void => {
    const id = mermaidId(node.path);
    const children = Object.values(node.states) as AnyStateNode[];
    edgeLines(node);
    if (children.length) {
      declarations.push(`${indent}state ${id} {`);
      declarations.push(`${indent}  [*] --> ${mermaidId([...node.path, String(node.config.initial)])}`);
      children.forEach((child) => visit(child, `${indent}  `));
      declarations.push(`${indent}}`);
    } else {
      const label = STATE_LABELS[node.path.join('.')];
      declarations.push(`${indent}${id} : ${id}${label ? ` ${label}` : ''}`);
    }
  };
  (Object.values(caseMachine.root.states) as AnyStateNode[]).forEach((node) => visit(node, '  '));
  return ['stateDiagram-v2', '  [*] --> new', ...declarations, ...edges].join('\n');
}
