import { likelyDuplicates, requestSimilarity } from './duplicates';

describe('likely duplicate requests (Art. 36(6))', () => {
  it('scores identical text 1 and ignores punctuation and spacing', () => {
    expect(requestSimilarity('某地块征收补偿方案', '某地块征收补偿方案')).toBe(1);
    expect(requestSimilarity('某地块 征收补偿方案。', '某地块征收补偿方案')).toBe(1);
  });

  it('scores unrelated requests near 0 and a reworded one high', () => {
    expect(requestSimilarity('2024年公共租赁住房分配情况', '某小区电梯加装审批文件')).toBeLessThan(0.1);
    // 13 and 14 bigrams, all 13 of the first shared: 2×13 / 27.
    expect(requestSimilarity('请公开某地块房屋征收补偿方案', '申请公开某地块房屋征收补偿方案')).toBeCloseTo(26 / 27, 5);
  });

  it('lists the earlier requests above the threshold, best first', () => {
    const others = [
      { id: 'a', caseNumber: 'A', description: '某小区电梯加装审批文件' },
      { id: 'b', caseNumber: 'B', description: '申请公开某地块房屋征收补偿方案' },
      { id: 'c', caseNumber: 'C', description: '某地块房屋征收补偿方案' },
    ];
    const found = likelyDuplicates('请公开某地块房屋征收补偿方案', others);
    // B: 26/27 ≈ 0.96; C: 10 bigrams all shared, 20/23 ≈ 0.87; A below the threshold.
    expect(found.map((other) => other.caseNumber)).toEqual(['B', 'C']);
    expect(found[0].similarity).toBeGreaterThan(found[1].similarity);
  });
});
