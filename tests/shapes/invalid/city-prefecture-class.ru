# A city contained in something that is not a schema:AdministrativeArea.
# expect: Violation shapes:CityShape-prefecture sh:ClassConstraintComponent id:city/kita
PREFIX schema: <https://schema.org/>
DELETE { <https://w3id.org/seirei/id/city/kita> schema:containedInPlace <https://w3id.org/seirei/id/prefecture/minami> }
INSERT { <https://w3id.org/seirei/id/city/kita> schema:containedInPlace <https://w3id.org/seirei/id/source/seed> }
WHERE { <https://w3id.org/seirei/id/city/kita> schema:containedInPlace <https://w3id.org/seirei/id/prefecture/minami> }
