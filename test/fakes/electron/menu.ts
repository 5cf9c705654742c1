/** Fake `Menu`/`MenuItem`: a plain tree built from the template, with find/click helpers. */
export interface FakeMenuItemOptions {
  id?: string;
  label?: string;
  sublabel?: string;
  toolTip?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  role?: string;
  enabled?: boolean;
  visible?: boolean;
  checked?: boolean;
  accelerator?: string;
  click?: (item: FakeMenuItem, win: unknown, event: unknown) => unknown;
  submenu?: FakeMenuItemOptions[] | FakeMenu;
}

export class FakeMenuItem {
  readonly id?: string;
  readonly label: string;
  readonly sublabel?: string;
  readonly type: NonNullable<FakeMenuItemOptions['type']>;
  readonly role?: string;
  readonly enabled: boolean;
  readonly visible: boolean;
  checked: boolean;
  readonly submenu?: FakeMenu;
  private readonly onClick?: FakeMenuItemOptions['click'];
  constructor(o: FakeMenuItemOptions) {
    this.id = o.id;
    this.label = o.label ?? '';
    this.role = o.role;
    this.sublabel = o.sublabel;
    this.submenu = o.submenu === undefined ? undefined : o.submenu instanceof FakeMenu ? o.submenu : FakeMenu.buildFromTemplate(o.submenu);
    this.type = o.type ?? (this.submenu ? 'submenu' : 'normal');
    this.enabled = o.enabled ?? true;
    this.visible = o.visible ?? true;
    this.checked = o.checked ?? false;
    this.onClick = o.click;
  }
  /** Like a user click: checkboxes toggle first, disabled items do nothing. */
  async click(): Promise<void> {
    if (!this.enabled) return;
    if (this.type === 'checkbox') this.checked = !this.checked;
    await this.onClick?.(this, undefined, {});
  }
}

export class FakeMenu {
  /** What `Menu.setApplicationMenu` was last given. */
  static applicationMenu: FakeMenu | null | undefined;
  static setApplicationMenu(m: FakeMenu | null): void {
    FakeMenu.applicationMenu = m;
  }
  static getApplicationMenu(): FakeMenu | null {
    return FakeMenu.applicationMenu ?? null;
  }
  readonly items: FakeMenuItem[] = [];
  static buildFromTemplate(template: FakeMenuItemOptions[]): FakeMenu {
    const m = new FakeMenu();
    for (const t of template) m.items.push(new FakeMenuItem(t));
    return m;
  }
  append(item: FakeMenuItem): void {
    this.items.push(item);
  }
  popup(): void {}
  /** Labels of the visible items, separators as '---' (a readable snapshot of the menu). */
  labels(): string[] {
    return this.items.filter((i) => i.visible).map((i) => (i.type === 'separator' ? '---' : i.label));
  }
  /** Depth-first search by exact label, label prefix (ending in '*') or id. */
  find(labelOrId: string): FakeMenuItem | undefined {
    const prefix = labelOrId.endsWith('*') ? labelOrId.slice(0, -1) : undefined;
    for (const i of this.items) {
      if (i.id === labelOrId || i.label === labelOrId || (prefix !== undefined && i.label.startsWith(prefix))) return i;
      const inner = i.submenu?.find(labelOrId);
      if (inner) return inner;
    }
    return undefined;
  }
  get(labelOrId: string): FakeMenuItem {
    const i = this.find(labelOrId);
    if (!i) throw new Error(`menu has no item "${labelOrId}"; it has: ${JSON.stringify(this.labels())}`);
    return i;
  }
}

export const Menu = FakeMenu;
export const MenuItem = FakeMenuItem;
