import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UserEntity } from '../database/entities';

/** The agency's people and departments as the workflow looks them up (a handler to assign, a department to ask). */
@Injectable()
export class DirectoryRepository {
  async activeUser(manager: EntityManager, agencyId: string, username: string): Promise<UserEntity | null> {
    return manager.getRepository(UserEntity).findOne({ where: { username, agencyId, active: true } });
  }

  /** A department of the agency by its name or id. */
  async department(manager: EntityManager, agencyId: string, nameOrId: string): Promise<{ id: string; name: string } | null> {
    const [department]: { id: string; name: string }[] = await manager.query(
      `SELECT id, name FROM departments WHERE agency_id = $1 AND (name = $2 OR id::text = $2)`,
      [agencyId, nameOrId],
    );
    return department ?? null;
  }
}
