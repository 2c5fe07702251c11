import {
  RequestMethod,
  type DynamicModule,
  type ForwardReference,
  type Type,
} from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';

/** A route of a controller, as its decorators declare it. */
export interface DeclaredRoute {
  controller: Type;
  /** The handler's name on the controller's prototype (or one it inherits). */
  method: string;
  /** The handler function, which carries the route's metadata. */
  handler: object;
  httpMethod: RequestMethod;
}

/** A change a module makes to every route of the app it is part of (see EnhancesRoutes). */
export type RouteEnhancer = (route: DeclaredRoute) => void;

const ROUTE_ENHANCERS = Symbol('revgate:route-enhancers');

type ModuleRef = Type | DynamicModule | ForwardReference | Promise<DynamicModule>;

/**
 * Declares that a module changes the routes of the app that imports it, wherever they are
 * declared — an interceptor on the routes that write, say — instead of a global enhancer that Nest
 * runs on every request. The changes are made when the app is assembled (createApp), before Nest
 * reads the routes' metadata, so Nest treats them as if written on the handlers.
 */
export function EnhancesRoutes(enhancer: RouteEnhancer): ClassDecorator {
  return (target) => {
    const existing =
      (Reflect.getMetadata(ROUTE_ENHANCERS, target) as RouteEnhancer[] | undefined) ?? [];
    Reflect.defineMetadata(ROUTE_ENHANCERS, [...existing, enhancer], target);
  };
}

function isForwardReference(ref: object): ref is ForwardReference {
  return 'forwardRef' in ref;
}

function isDynamicModule(ref: object): ref is DynamicModule {
  return 'module' in ref;
}

/** Every module class and controller reachable from the root, each once. */
function collect(root: ModuleRef): { modules: Set<Type>; controllers: Set<Type> } {
  const modules = new Set<Type>();
  const controllers = new Set<Type>();
  const seen = new Set<object>();
  const visit = (ref: ModuleRef | undefined): void => {
    if (!ref || seen.has(ref)) return;
    seen.add(ref);
    if (ref instanceof Promise) {
      throw new Error('route enhancers cannot see into an asynchronous dynamic module');
    }
    if (typeof ref !== 'function' && isForwardReference(ref)) {
      const target = (ref.forwardRef as () => ModuleRef)();
      visit(target);
      return;
    }
    const type = typeof ref === 'function' ? ref : ref.module;
    const imports = [
      ...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, type) as ModuleRef[] | undefined) ?? []),
      ...(typeof ref !== 'function' && isDynamicModule(ref) ? (ref.imports ?? []) : []),
    ];
    const declared = [
      ...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, type) as Type[] | undefined) ?? []),
      ...(typeof ref !== 'function' && isDynamicModule(ref) ? (ref.controllers ?? []) : []),
    ];
    modules.add(type);
    for (const controller of declared) controllers.add(controller);
    for (const child of imports) visit(child as ModuleRef);
  };
  visit(root);
  return { modules, controllers };
}

/** The routes a controller declares, on its prototype or those it inherits. */
function routesOf(controller: Type): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  const names = new Set<string>();
  for (
    let proto = controller.prototype as object | null;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || names.has(name)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      const handler: unknown = descriptor?.value;
      if (typeof handler !== 'function') continue;
      names.add(name);
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      const httpMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      routes.push({
        controller,
        method: name,
        handler,
        httpMethod: httpMethod ?? RequestMethod.GET,
      });
    }
  }
  return routes;
}

/**
 * Applies the route enhancers of every module reachable from the root to every route of every
 * controller reachable from it. An enhancer must be idempotent: an app can be assembled more than
 * once in a process (tests do), and controllers shared by several apps are enhanced by each.
 */
export function applyRouteEnhancers(root: ModuleRef): void {
  const { modules, controllers } = collect(root);
  const enhancers = [...modules].flatMap(
    (m) => (Reflect.getMetadata(ROUTE_ENHANCERS, m) as RouteEnhancer[] | undefined) ?? [],
  );
  if (enhancers.length === 0) return;
  for (const controller of controllers)
    for (const route of routesOf(controller)) for (const enhance of enhancers) enhance(route);
}

/** Every route of every controller reachable from the root module. */
export function declaredRoutes(root: ModuleRef): DeclaredRoute[] {
  return [...collect(root).controllers].flatMap(routesOf);
}
